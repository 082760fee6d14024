package io.pontoon.gateway.wireguard;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.KeyAgreement;

import io.pontoon.api.PontoonNames;

/**
 * WireGuard keys with the JDK's X25519: 32 raw bytes in base64, the format of {@code wg genkey}
 * and {@code wg pubkey}.
 */
public final class WireGuardKeys {
  private static final Pattern KEY = Pattern.compile(PontoonNames.WIREGUARD_KEY_PATTERN);

  /** A key pair; {@link #toString()} never shows the private key. */
  public record KeyPair(String privateKey, String publicKey) {
    public KeyPair {
      requireKey(privateKey, "private key");
      requireKey(publicKey, "public key");
    }

    @Override
    public String toString() {
      return "KeyPair[publicKey=" + publicKey + ", privateKey=(redacted)]";
    }
  }

  private WireGuardKeys() {}

  public static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
      java.security.KeyPair kp = g.generateKeyPair();
      byte[] scalar = ((XECPrivateKey) kp.getPrivate()).getScalar()
          .orElseThrow(() -> new IllegalStateException("the JDK's X25519 key has no raw scalar"));
      String priv = Base64.getEncoder().encodeToString(scalar);
      return new KeyPair(priv, publicKey(priv));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 is not available in this JDK", e);
    }
  }

  /** The public key of a base64 private key: X25519(private, 9), as {@code wg pubkey}. */
  public static String publicKey(String privateKey) {
    byte[] scalar = decode(privateKey, "private key");
    try {
      KeyFactory kf = KeyFactory.getInstance("X25519");
      PrivateKey priv = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
      PublicKey base = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.valueOf(9)));
      KeyAgreement ka = KeyAgreement.getInstance("X25519");
      ka.init(priv);
      ka.doPhase(base, true);
      return Base64.getEncoder().encodeToString(ka.generateSecret());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a usable X25519 private key", e);
    }
  }

  /** Throws with a message naming {@code what} unless {@code key} is 32 bytes in base64. */
  public static String requireKey(String key, String what) {
    if (key == null || !KEY.matcher(key.strip()).matches()) {
      // the value itself is not echoed: it may be a private key
      throw new IllegalArgumentException("the WireGuard " + what
          + " must be 32 bytes in base64 (44 characters ending in '='), as `wg genkey` prints");
    }
    return key.strip();
  }

  private static byte[] decode(String key, String what) {
    return Base64.getDecoder().decode(requireKey(key, what));
  }
}
