package io.pontoon.peering.tenant;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.PontoonNames;
import io.pontoon.peering.handshake.PeeringException;
import io.pontoon.peering.handshake.Reasons;
import io.pontoon.peering.identity.Fingerprints;
import io.pontoon.peering.identity.Pem;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Has a consumer's CSR signed by this cluster through the Kubernetes CSR API (signer
 * {@code kubernetes.io/kube-apiserver-client}), after checking it asks for nothing but the
 * tenant's own user: one CN {@code pontoon:tenant:<id>}, no groups, no extensions.
 */
public final class CsrSigner {
  public static final String SIGNER = "kubernetes.io/kube-apiserver-client";
  static final int EXPIRATION_SECONDS = 365 * 24 * 3600;

  private static final org.bouncycastle.jce.provider.BouncyCastleProvider BC =
      new org.bouncycastle.jce.provider.BouncyCastleProvider();
  private final KubernetesClient client;

  public CsrSigner(KubernetesClient client) {
    this.client = client;
  }

  /** Rejects a CSR that is malformed, badly signed, or asks for another identity. */
  public static void check(String csrPem, String consumerId) {
    List<byte[]> der = Pem.blocks(csrPem, "CERTIFICATE REQUEST");
    if (der.size() != 1) throw bad("csr: must hold exactly one CERTIFICATE REQUEST");
    PKCS10CertificationRequest csr;
    try {
      csr = new PKCS10CertificationRequest(der.get(0));
    } catch (Exception | StackOverflowError e) {
      throw bad("csr: not a PKCS#10 certificate request");
    }
    PublicKey key;
    try {
      key = new JcaPEMKeyConverter().setProvider(BC).getPublicKey(csr.getSubjectPublicKeyInfo());
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC).build(csr.getSubjectPublicKeyInfo()))) {
        throw bad("csr: its signature does not verify");
      }
    } catch (PeeringException e) {
      throw e;
    } catch (Exception e) {
      throw bad("csr: unsupported key or signature");
    }
    if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) throw bad("csr: RSA keys need 2048 bits");
    if (!(key instanceof RSAPublicKey) && !(key instanceof ECPublicKey)) throw bad("csr: key must be EC or RSA");
    RDN[] rdns = csr.getSubject().getRDNs();
    String expected = PontoonNames.tenantUser(consumerId);
    if (rdns.length != 1 || rdns[0].isMultiValued() || !rdns[0].getFirst().getType().equals(BCStyle.CN)
        || !expected.equals(IETFUtils.valueToString(rdns[0].getFirst().getValue()))) {
      throw bad("csr: the subject must be exactly CN=" + expected + " (no organization: groups are not granted)");
    }
    if (csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest).length > 0) {
      throw bad("csr: extensions (subject alternative names, usages) are not allowed");
    }
  }

  /** Deterministic name, so a replayed handshake finds its CSR instead of making another. */
  public static String csrName(String consumerId, String csrPem) {
    return "pontoon-" + consumerId + "-"
        + HexFormat.of().formatHex(Fingerprints.sha256(csrPem.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
  }

  /** Creates (or finds), approves and waits for the certificate; returns it as PEM. */
  public String sign(String consumerId, String csrPem, Duration timeout) {
    String name = csrName(consumerId, csrPem);
    var csrs = client.certificates().v1().certificateSigningRequests();
    CertificateSigningRequest existing = csrs.withName(name).get();
    if (existing == null) {
      CertificateSigningRequest csr = new CertificateSigningRequestBuilder().withNewMetadata().withName(name)
          .addToLabels(PontoonNames.LABEL_REMOTE_CLUSTER_ID, consumerId)
          .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE).endMetadata()
          .withNewSpec().withSignerName(SIGNER)
          .withRequest(Base64.getEncoder().encodeToString(csrPem.getBytes(StandardCharsets.US_ASCII)))
          .withUsages("client auth", "digital signature")
          .withExpirationSeconds(EXPIRATION_SECONDS).endSpec().build();
      try {
        existing = csrs.resource(csr).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 403) throw rbac("create certificatesigningrequests", e);
        if (e.getCode() != 409) throw e;
        existing = csrs.withName(name).get();
      }
    }
    if (!approved(existing)) {
      try {
        csrs.withName(name).approve();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 403) throw rbac("approve certificatesigningrequests for signer " + SIGNER, e);
        throw e;
      }
    }
    try {
      CertificateSigningRequest done = csrs.withName(name).waitUntilCondition(
          c -> c == null || (c.getStatus() != null && (c.getStatus().getCertificate() != null && !c.getStatus().getCertificate().isEmpty()
              || failed(c))),
          timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (done == null || failed(done)) {
        throw new PeeringException(500, Reasons.CERTIFICATE_NOT_ISSUED,
            "the provider's API server refused to sign the client certificate"
                + (done == null ? "" : ": " + failure(done)));
      }
      return new String(Base64.getDecoder().decode(done.getStatus().getCertificate()), StandardCharsets.US_ASCII);
    } catch (KubernetesClientException e) {
      throw new PeeringException(503, Reasons.CERTIFICATE_NOT_ISSUED,
          "the provider's API server did not sign the client certificate within " + timeout.toSeconds()
              + "s; is its CSR signer (kube-controller-manager) running?");
    }
  }

  /** Removes every CSR made for this consumer. */
  public void deleteAll(String consumerId) {
    client.certificates().v1().certificateSigningRequests()
        .withLabel(PontoonNames.LABEL_REMOTE_CLUSTER_ID, consumerId).delete();
  }

  private static boolean approved(CertificateSigningRequest c) {
    return c.getStatus() != null && c.getStatus().getConditions() != null
        && c.getStatus().getConditions().stream().anyMatch(x -> "Approved".equals(x.getType()));
  }

  private static boolean failed(CertificateSigningRequest c) {
    return c.getStatus() != null && c.getStatus().getConditions() != null
        && c.getStatus().getConditions().stream().anyMatch(x -> "Failed".equals(x.getType()) || "Denied".equals(x.getType()));
  }

  private static String failure(CertificateSigningRequest c) {
    return c.getStatus().getConditions().stream().filter(x -> "Failed".equals(x.getType()) || "Denied".equals(x.getType()))
        .map(x -> x.getMessage()).findFirst().orElse("");
  }

  private static PeeringException bad(String msg) {
    return new PeeringException(400, Reasons.INVALID_REQUEST, "invalid handshake request: " + msg);
  }

  static PeeringException rbac(String what, KubernetesClientException e) {
    return new PeeringException(500, Reasons.RBAC_DENIED,
        "RBAC denied: the provider's agent may not " + what
            + "; its admin must give the agent's identity that right (the agent needs cluster-admin-like rights)");
  }
}
