package io.pontoon.peering.handshake;

import io.pontoon.api.PontoonNames;
import io.pontoon.peering.identity.Pem;
import java.security.KeyPair;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** The consumer's client key (made here, never sent) and its CSR for {@code pontoon:tenant:<id>}. */
public record ConsumerCsr(String privateKeyPem, String csrPem) {
  @Override
  public String toString() {
    return "ConsumerCsr{}";
  }

  /** With a key made now. */
  public static ConsumerCsr generate(String consumerClusterId) {
    return of(consumerClusterId, ClientKeys.generate());
  }

  /** With the given key (e.g. one {@link ClientKeys} made ahead). */
  public static ConsumerCsr of(String consumerClusterId, KeyPair pair) {
    try {
      return new ConsumerCsr(Pem.privateKeyPem(pair.getPrivate()), csr(consumerClusterId, pair));
    } catch (Exception e) {
      throw new IllegalStateException("cannot make a CSR: " + e.getMessage(), e);
    }
  }

  private static String csr(String id, KeyPair pair) throws Exception {
    var subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, PontoonNames.tenantUser(id)).build();
    var req = new JcaPKCS10CertificationRequestBuilder(subject, pair.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
    return Pem.encode(req);
  }
}
