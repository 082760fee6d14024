package io.pontoon.vk.http;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet endpoint's serving certificate, obtained as a kubelet does: a CSR for
 * {@code system:node:<node>} with signer {@code kubernetes.io/kubelet-serving}, so an API server
 * that verifies kubelets (as the sandbox does, and kube-apiserver with
 * {@code --kubelet-certificate-authority}) trusts it. The key never leaves this process. When the
 * CSR cannot be made or approved, a self-signed certificate serves instead, and the log says that
 * {@code kubectl logs} may then fail.
 */
final class KubeletServingCertificate {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletServingCertificate.class);
  static final String SIGNER = "kubernetes.io/kubelet-serving";

  private KubeletServingCertificate() {}

  static KeyCertOptions obtain(KubernetesClient home, String nodeName, String nodeIp, Duration timeout) {
    try {
      return viaCsr(home, nodeName, nodeIp, timeout);
    } catch (Exception e) {
      LOG.warn("event=kubelet-certificate-self-signed node={} reason=\"{}\" consequence=\"API servers that verify "
          + "kubelet certificates will refuse kubectl logs for pods on this node\"", nodeName, e.getMessage());
      return SelfSignedCertificate.create(nodeIp).keyCertOptions();
    }
  }

  private static KeyCertOptions viaCsr(KubernetesClient home, String nodeName, String nodeIp, Duration timeout)
      throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = gen.generateKeyPair();
    List<GeneralName> sans = new ArrayList<>();
    sans.add(new GeneralName(GeneralName.dNSName, nodeName));
    if (isIp(nodeIp)) sans.add(new GeneralName(GeneralName.iPAddress, nodeIp));
    ExtensionsGenerator ext = new ExtensionsGenerator();
    ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
    var request = new JcaPKCS10CertificationRequestBuilder(
        new X500Name("O=system:nodes,CN=system:node:" + nodeName), keys.getPublic())
        .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    String csrPem = pem(request);
    String name = "pontoon-" + nodeName + "-serving-" + UUID.randomUUID().toString().substring(0, 8);
    CertificateSigningRequest csr = new CertificateSigningRequestBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withRequest(Base64.getEncoder().encodeToString(csrPem.getBytes(StandardCharsets.US_ASCII)))
        .withSignerName(SIGNER)
        .withUsages("digital signature", "server auth")
        .endSpec().build();
    var csrs = home.certificates().v1().certificateSigningRequests();
    csrs.resource(csr).create();
    try {
      csrs.withName(name).approve(new CertificateSigningRequestConditionBuilder()
          .withType("Approved").withStatus("True").withReason("PontoonVirtualKubelet")
          .withMessage("serving certificate of Pontoon virtual node " + nodeName).build());
      CertificateSigningRequest signed = csrs.withName(name).waitUntilCondition(
          c -> c != null && c.getStatus() != null && c.getStatus().getCertificate() != null
              && !c.getStatus().getCertificate().isEmpty(),
          timeout.toMillis(), TimeUnit.MILLISECONDS);
      String certPem = new String(Base64.getDecoder().decode(signed.getStatus().getCertificate()), StandardCharsets.US_ASCII);
      LOG.info("event=kubelet-certificate-issued node={} signer={}", nodeName, SIGNER);
      return new PemKeyCertOptions()
          .setKeyValue(Buffer.buffer(pem(keys.getPrivate())))
          .setCertValue(Buffer.buffer(certPem));
    } finally {
      // the certificate is kept in memory; the request has served its purpose
      csrs.withName(name).delete();
    }
  }

  private static boolean isIp(String s) {
    if (s == null || s.isEmpty() || !s.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == ':'
        || Character.digit(c, 16) >= 0)) {
      return false;
    }
    try {
      return InetAddress.getByName(s).getHostAddress() != null;
    } catch (IOException e) {
      return false;
    }
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o instanceof java.security.PrivateKey k
          ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null).generate() : o);
    }
    return out.toString();
  }
}
