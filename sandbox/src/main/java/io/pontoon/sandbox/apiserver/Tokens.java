package io.pontoon.sandbox.apiserver;

import io.pontoon.sandbox.apiserver.auth.ServiceAccounts;
import io.pontoon.sandbox.apiserver.auth.UserInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Bearer tokens: the admin token made at start, and ServiceAccount tokens issued by the
 * TokenRequest API. Tokens are kept only as SHA-256 hashes; a ServiceAccount token stops
 * working when it expires or when its ServiceAccount (by UID) is gone.
 */
final class Tokens {
  private record Entry(UserInfo user, Instant expires, String saNamespace, String saName, String saUid) {}

  private final Map<String, Entry> byHash = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final java.util.concurrent.atomic.AtomicLong issued = new java.util.concurrent.atomic.AtomicLong();
  /** Tells whether a ServiceAccount with that namespace, name and UID still exists. */
  private final ServiceAccountCheck accounts;

  interface ServiceAccountCheck {
    boolean exists(String namespace, String name, String uid);
  }

  Tokens(ServiceAccountCheck accounts) {
    this.accounts = accounts;
  }

  /** A new random token for a fixed user (the admin). */
  String issueStatic(UserInfo user) {
    String token = newToken();
    byHash.put(hash(token), new Entry(user, Instant.MAX, null, null, null));
    return token;
  }

  String issueForServiceAccount(String namespace, String name, String uid, Instant expires) {
    if (issued.incrementAndGet() % 256 == 0) sweep();
    String token = newToken();
    UserInfo user = UserInfo.authenticated(ServiceAccounts.username(namespace, name), uid,
        ServiceAccounts.groups(namespace));
    byHash.put(hash(token), new Entry(user, expires, namespace, name, uid));
    return token;
  }

  Optional<UserInfo> userFor(String token) {
    Entry e = byHash.get(hash(token));
    if (e == null) return Optional.empty();
    if (Instant.now().isAfter(e.expires())) {
      byHash.remove(hash(token));
      return Optional.empty();
    }
    if (e.saName() != null && !accounts.exists(e.saNamespace(), e.saName(), e.saUid())) return Optional.empty();
    return Optional.of(e.user());
  }

  /** Forgets expired tokens, so a long-running sandbox does not grow. */
  void sweep() {
    Instant now = Instant.now();
    Predicate<Entry> expired = e -> now.isAfter(e.expires());
    byHash.values().removeIf(expired);
  }

  private String newToken() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String hash(String token) {
    return HexFormat.of().formatHex(SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  /** One digest per thread: looking the algorithm up costs more than hashing a token. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });
}
