package io.pontoon.sandbox.apiserver.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The usage strings of the certificates.k8s.io API and the X.509 key usages and extended key
 * usages they stand for (the table of kube-controller-manager's signer).
 */
public final class KeyUsages {
  public static final String SIGNING = "signing";
  public static final String DIGITAL_SIGNATURE = "digital signature";
  public static final String KEY_ENCIPHERMENT = "key encipherment";
  public static final String SERVER_AUTH = "server auth";
  public static final String CLIENT_AUTH = "client auth";

  private static final Map<String, Integer> KEY_USAGE = Map.ofEntries(
      Map.entry(SIGNING, KeyUsage.digitalSignature),
      Map.entry(DIGITAL_SIGNATURE, KeyUsage.digitalSignature),
      Map.entry("content commitment", KeyUsage.nonRepudiation),
      Map.entry(KEY_ENCIPHERMENT, KeyUsage.keyEncipherment),
      Map.entry("key agreement", KeyUsage.keyAgreement),
      Map.entry("data encipherment", KeyUsage.dataEncipherment),
      Map.entry("cert sign", KeyUsage.keyCertSign),
      Map.entry("crl sign", KeyUsage.cRLSign),
      Map.entry("encipher only", KeyUsage.encipherOnly),
      Map.entry("decipher only", KeyUsage.decipherOnly));

  // The ordinal sorts them as Go's x509.ExtKeyUsage constants do, so certificates list EKUs alike.
  private record Eku(int ordinal, KeyPurposeId id) {}

  private static final Map<String, Eku> EXT_KEY_USAGE = Map.ofEntries(
      Map.entry("any", new Eku(0, KeyPurposeId.anyExtendedKeyUsage)),
      Map.entry(SERVER_AUTH, new Eku(1, KeyPurposeId.id_kp_serverAuth)),
      Map.entry(CLIENT_AUTH, new Eku(2, KeyPurposeId.id_kp_clientAuth)),
      Map.entry("code signing", new Eku(3, KeyPurposeId.id_kp_codeSigning)),
      Map.entry("email protection", new Eku(4, KeyPurposeId.id_kp_emailProtection)),
      Map.entry("s/mime", new Eku(4, KeyPurposeId.id_kp_emailProtection)),
      Map.entry("ipsec end system", new Eku(5, KeyPurposeId.id_kp_ipsecEndSystem)),
      Map.entry("ipsec tunnel", new Eku(6, KeyPurposeId.id_kp_ipsecTunnel)),
      Map.entry("ipsec user", new Eku(7, KeyPurposeId.id_kp_ipsecUser)),
      Map.entry("timestamping", new Eku(8, KeyPurposeId.id_kp_timeStamping)),
      Map.entry("ocsp signing", new Eku(9, KeyPurposeId.id_kp_OCSPSigning)),
      Map.entry("microsoft sgc", new Eku(10, oid("1.3.6.1.4.1.311.10.3.3"))),
      Map.entry("netscape sgc", new Eku(11, oid("2.16.840.1.113730.4.1"))));

  /** The X.509 extensions a usage list maps to; either part may be absent (null). */
  public record Mapped(KeyUsage keyUsage, ExtendedKeyUsage extendedKeyUsage) {}

  private KeyUsages() {}

  private static KeyPurposeId oid(String id) {
    return KeyPurposeId.getInstance(new org.bouncycastle.asn1.ASN1ObjectIdentifier(id));
  }

  public static boolean isKnown(String usage) {
    return KEY_USAGE.containsKey(usage) || EXT_KEY_USAGE.containsKey(usage);
  }

  /** Every usage string the API accepts. */
  public static Set<String> known() {
    Set<String> all = new java.util.TreeSet<>(KEY_USAGE.keySet());
    all.addAll(EXT_KEY_USAGE.keySet());
    return Set.copyOf(all);
  }

  /**
   * Maps usage strings to extensions.
   *
   * @throws IllegalArgumentException naming unrecognized values in the signer's words
   */
  public static Mapped map(List<String> usages) {
    int bits = 0;
    Set<Eku> ekus = new LinkedHashSet<>();
    List<String> unrecognized = new ArrayList<>();
    for (String u : usages) {
      if (KEY_USAGE.containsKey(u)) {
        bits |= KEY_USAGE.get(u);
      } else if (EXT_KEY_USAGE.containsKey(u)) {
        ekus.add(EXT_KEY_USAGE.get(u));
      } else {
        unrecognized.add(u);
      }
    }
    if (!unrecognized.isEmpty()) {
      throw new IllegalArgumentException("unrecognized usage values: " + GoStrings.quoteList(unrecognized));
    }
    KeyPurposeId[] ids = ekus.stream().sorted(Comparator.comparingInt(Eku::ordinal)).map(Eku::id).distinct()
        .toArray(KeyPurposeId[]::new);
    return new Mapped(bits == 0 ? null : new KeyUsage(bits), ids.length == 0 ? null : new ExtendedKeyUsage(ids));
  }
}
