package io.pontoon.vk.http;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet endpoint's serving certificate, obtained as a kubelet does: a CSR for
 * {@code system:node:<node>} with signer {@code kubernetes.io/kubelet-serving}, so an API server
 * that verifies kubelets (as the sandbox does, and kube-apiserver with
 * {@code --kubelet-certificate-authority}) trusts it. The key never leaves this process.
 *
 * <p>The endpoint does not wait for it: it serves at once with a self-signed certificate for the
 * same key ({@link #selfSigned}), so the node registers and turns Ready without a CSR round trip,
 * and swaps in the issued one when it arrives ({@link #issued}). When the CSR cannot be made or
 * approved, the self-signed certificate stays, and the log says that {@code kubectl logs} may
 * then fail.
 */
final class KubeletServingCertificate {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletServingCertificate.class);
  static final String SIGNER = "kubernetes.io/kubelet-serving";

  private final String nodeName;
  private final String nodeIp;
  private final KeyPair keys;

  KubeletServingCertificate(String nodeName, String nodeIp) {
    this.nodeName = nodeName;
    this.nodeIp = nodeIp;
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"));
      this.keys = gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
    }
  }

  /** A self-signed certificate for the key, the node name and address: served until {@link #issued} answers. */
  KeyCertOptions selfSigned() {
    try {
      Instant now = Instant.now();
      X500Name subject = new X500Name("O=system:nodes,CN=system:node:" + nodeName);
      var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(365))), subject, keys.getPublic())
          .addExtension(Extension.subjectAlternativeName, false, sans());
      X509CertificateHolder cert = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      return new PemKeyCertOptions().setKeyValue(Buffer.buffer(pem(keys.getPrivate()))).setCertValue(Buffer.buffer(pem(cert)));
    } catch (Exception e) {
      throw new IllegalStateException("cannot make the kubelet endpoint's self-signed certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The certificate from the CSR API (blocks up to {@code timeout} for approval and signing), or
   * empty after a warning when there is none.
   */
  Optional<KeyCertOptions> issued(KubernetesClient home, Duration timeout) {
    try {
      return Optional.of(viaCsr(home, timeout));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      if (Thread.currentThread().isInterrupted()) return Optional.empty();
      LOG.warn("event=kubelet-certificate-self-signed node={} reason=\"{}\" consequence=\"API servers that verify "
          + "kubelet certificates will refuse kubectl logs for pods on this node\"", nodeName, e.getMessage());
      return Optional.empty();
    }
  }

  private GeneralNames sans() {
    List<GeneralName> sans = new ArrayList<>();
    sans.add(new GeneralName(GeneralName.dNSName, nodeName));
    if (isIp(nodeIp)) sans.add(new GeneralName(GeneralName.iPAddress, nodeIp));
    return new GeneralNames(sans.toArray(GeneralName[]::new));
  }

  private KeyCertOptions viaCsr(KubernetesClient home, Duration timeout) throws Exception {
    ExtensionsGenerator ext = new ExtensionsGenerator();
    ext.addExtension(Extension.subjectAlternativeName, false, sans());
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
