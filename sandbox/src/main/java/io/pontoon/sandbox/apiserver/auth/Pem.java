package io.pontoon.sandbox.apiserver.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM encoding and decoding of certificates, private keys and certificate requests, with the
 * block types Kubernetes tooling reads and writes.
 */
public final class Pem {
  public static final String CERTIFICATE = "CERTIFICATE";
  public static final String CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";
  public static final String PRIVATE_KEY = "PRIVATE KEY";
  public static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";
  public static final String RSA_PRIVATE_KEY = "RSA PRIVATE KEY";

  private Pem() {}

  public static String encode(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  public static String encodeCertificate(X509Certificate certificate) {
    try {
      return encode(CERTIFICATE, certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    }
  }

  /** A chain or bundle: certificates one after the other, leaf first. */
  public static String encodeCertificates(List<X509Certificate> certificates) {
    StringBuilder out = new StringBuilder();
    certificates.forEach(c -> out.append(encodeCertificate(c)));
    return out.toString();
  }

  /** PKCS#8 ({@code PRIVATE KEY}), which Go's tls.X509KeyPair, kubectl and fabric8 all read for RSA and EC. */
  public static String encodePrivateKey(PrivateKey key) {
    return encode(PRIVATE_KEY, key.getEncoded());
  }

  /**
   * The "traditional" form kubeadm and client-go's keyutil write into kubeconfigs: SEC 1
   * {@code EC PRIVATE KEY} for EC keys, PKCS#1 {@code RSA PRIVATE KEY} for RSA keys. fabric8
   * guesses the key algorithm from this header and reads a PKCS#8 EC key as RSA, so
   * kubeconfigs must use this form.
   */
  public static String encodePrivateKeyTraditional(PrivateKey key) {
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
      return switch (key.getAlgorithm()) {
        case "EC", "ECDSA" -> {
          // SEC 1 with the curve named inside, as Go's x509.MarshalECPrivateKey writes it
          ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
          int bits = ((java.security.interfaces.ECPrivateKey) key).getParams().getOrder().bitLength();
          yield encode(EC_PRIVATE_KEY, new ECPrivateKey(bits, inner.getKey(), inner.getPublicKey(),
              info.getPrivateKeyAlgorithm().getParameters()).getEncoded());
        }
        case "RSA" -> encode(RSA_PRIVATE_KEY, info.parsePrivateKey().toASN1Primitive().getEncoded());
        default -> encodePrivateKey(key);
      };
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String encodeCsr(PKCS10CertificationRequest csr) {
    try {
      return encode(CERTIFICATE_REQUEST, csr.getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every PEM block of the text, in order; text outside blocks is ignored as Go's pem.Decode does. */
  public static List<PemObject> blocks(String pem) {
    List<PemObject> blocks = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      for (PemObject o = reader.readPemObject(); o != null; o = reader.readPemObject()) {
        blocks.add(o);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed PEM data: " + e.getMessage(), e);
    }
    return blocks;
  }

  public static List<PemObject> blocks(byte[] pem) {
    return blocks(new String(pem, StandardCharsets.US_ASCII));
  }

  /** The CERTIFICATE blocks of a bundle; fails when there is none. */
  public static List<X509Certificate> decodeCertificates(String pem) {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (PemObject block : blocks(pem)) {
        if (CERTIFICATE.equals(block.getType())) {
          certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.getContent())));
        }
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("malformed certificate: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no CERTIFICATE block found in PEM data");
    }
    return List.copyOf(certificates);
  }

  public static X509Certificate decodeCertificate(String pem) {
    return decodeCertificates(pem).get(0);
  }

  /**
   * The first private key of the text: PKCS#8 {@code PRIVATE KEY}, SEC 1 {@code EC PRIVATE KEY} or
   * PKCS#1 {@code RSA PRIVATE KEY}. Encrypted keys are not supported.
   */
  public static PrivateKey decodePrivateKey(String pem) {
    for (PemObject block : blocks(pem)) {
      PrivateKeyInfo info = switch (block.getType()) {
        case PRIVATE_KEY -> PrivateKeyInfo.getInstance(block.getContent());
        case EC_PRIVATE_KEY -> {
          ECPrivateKey ec = ECPrivateKey.getInstance(block.getContent());
          if (ec.getParametersObject() == null) {
            throw new IllegalArgumentException("EC PRIVATE KEY without curve parameters is not supported");
          }
          try {
            yield new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()), ec);
          } catch (IOException e) {
            throw new IllegalArgumentException("malformed EC private key", e);
          }
        }
        case RSA_PRIVATE_KEY -> {
          try {
            yield new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                RSAPrivateKey.getInstance(block.getContent()));
          } catch (IOException e) {
            throw new IllegalArgumentException("malformed RSA private key", e);
          }
        }
        default -> null;
      };
      if (info == null) continue;
      if (!block.getHeaders().isEmpty()) {
        throw new IllegalArgumentException("encrypted private keys are not supported");
      }
      try {
        return new JcaPEMKeyConverter().getPrivateKey(info);
      } catch (IOException e) {
        // the message never carries key material, only the reason
        throw new IllegalArgumentException("unsupported private key: " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException("no private key block found in PEM data");
  }

  /** The first CERTIFICATE REQUEST block, strictly of that type, as Kubernetes' ParseCSR requires. */
  public static PKCS10CertificationRequest decodeCsr(byte[] pem) {
    List<PemObject> blocks = blocks(pem);
    if (blocks.isEmpty() || !CERTIFICATE_REQUEST.equals(blocks.get(0).getType())) {
      throw new IllegalArgumentException("PEM block type must be CERTIFICATE REQUEST");
    }
    try {
      return new PKCS10CertificationRequest(blocks.get(0).getContent());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("malformed certificate request: " + e.getMessage(), e);
    }
  }
}
