package io.pontoon.peering.service;

import io.pontoon.api.PontoonNames;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Decides whether a TLS client certificate is the tenant certificate this cluster issued to a
 * consumer: signed by this cluster's CA (the one in kube-root-ca.crt / the kubeconfig), valid
 * now, and naming {@code pontoon:tenant:<id>}.
 */
public final class ClientCertVerifier {
  private final List<X509Certificate> clusterCas;

  public ClientCertVerifier(List<X509Certificate> clusterCas) {
    this.clusterCas = List.copyOf(clusterCas);
  }

  /** The consumer cluster ID the certificate proves, or null. */
  public String tenantId(List<Certificate> chain) {
    if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) return null;
    try {
      leaf.checkValidity();
    } catch (Exception e) {
      return null;
    }
    boolean signed = false;
    for (X509Certificate ca : clusterCas) {
      try {
        if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) continue;
        leaf.verify(ca.getPublicKey());
        signed = true;
        break;
      } catch (Exception e) {
        // not this CA
      }
    }
    if (!signed) return null;
    String cn = commonName(leaf.getSubjectX500Principal());
    if (cn == null || !cn.startsWith(PontoonNames.TENANT_USER_PREFIX)) return null;
    String id = cn.substring(PontoonNames.TENANT_USER_PREFIX.length());
    return id.matches(PontoonNames.CLUSTER_ID_PATTERN) ? id : null;
  }

  private static String commonName(X500Principal p) {
    RDN[] cns = X500Name.getInstance(p.getEncoded()).getRDNs(BCStyle.CN);
    return cns.length == 1 ? IETFUtils.valueToString(cns[0].getFirst().getValue()) : null;
  }
}
