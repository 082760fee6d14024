package io.pontoon.peering.token;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.PontoonNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Peering tokens: {@code <id>.<secret>}, where only a SHA-256 of the secret is stored, in a
 * labelled Secret {@code pontoon-token-<id>} of {@code pontoon-system}. Verification compares
 * hashes in constant time; a single-use token is bound to the first cluster that uses it, with
 * a compare-and-swap write so two clusters racing cannot both win.
 */
public final class TokenStore {
  public static final String TYPE_TOKEN = "peering-token";
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);
  /** Token shape, also the handshake schema's pattern: 16 hex id, '.', 43 base64url characters. */
  public static final Pattern TOKEN_PATTERN = Pattern.compile("^[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}$");
  private static final String PREFIX = "pontoon-token-";
  private static final String K_HASH = "hash";
  private static final String A_EXPIRES = "pontoon.io/expires-at";
  private static final String A_CREATED = "pontoon.io/created-at";
  private static final String A_SINGLE_USE = "pontoon.io/single-use";
  private static final String A_REVOKED = "pontoon.io/revoked";
  private static final String A_USED_BY = "pontoon.io/used-by";
  private static final String A_USED_AT = "pontoon.io/used-at";
  /** Compared against when the id is unknown, so timing does not tell ids apart. */
  private static final byte[] DUMMY_HASH = new byte[32];

  private final KubernetesClient client;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public TokenStore(KubernetesClient client) {
    this(client, Clock.systemUTC());
  }

  public TokenStore(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public IssuedToken create(Duration ttl, boolean singleUse) {
    if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("ttl must be positive, got " + ttl);
    byte[] idBytes = new byte[8];
    byte[] secretBytes = new byte[32];
    random.nextBytes(idBytes);
    random.nextBytes(secretBytes);
    String id = HexFormat.of().formatHex(idBytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    Instant now = clock.instant();
    Instant expires = now.plus(ttl);
    Secret s = new SecretBuilder().withNewMetadata()
        .withName(PREFIX + id).withNamespace(PontoonNames.SYSTEM_NAMESPACE)
        .addToLabels(PontoonNames.LABEL_TYPE, TYPE_TOKEN)
        .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE)
        .addToAnnotations(A_CREATED, now.toString())
        .addToAnnotations(A_EXPIRES, expires.toString())
        .addToAnnotations(A_SINGLE_USE, Boolean.toString(singleUse))
        .endMetadata()
        .addToData(K_HASH, Base64.getEncoder().encodeToString(hash(secret)))
        .build();
    client.secrets().resource(s).create();
    prune(now);
    return new IssuedToken(new TokenInfo(id, now, expires, singleUse, false, null, null), id + "." + secret);
  }

  /** Forgets tokens expired for a week: long enough that a late attempt still hears "expired". */
  private void prune(Instant now) {
    for (Secret old : client.secrets().inNamespace(PontoonNames.SYSTEM_NAMESPACE)
        .withLabel(PontoonNames.LABEL_TYPE, TYPE_TOKEN).list().getItems()) {
      if (info(old).expiresAt().plus(Duration.ofDays(7)).isBefore(now)) {
        client.secrets().inNamespace(PontoonNames.SYSTEM_NAMESPACE).withName(old.getMetadata().getName()).delete();
      }
    }
  }

  public List<TokenInfo> list() {
    return client.secrets().inNamespace(PontoonNames.SYSTEM_NAMESPACE)
        .withLabel(PontoonNames.LABEL_TYPE, TYPE_TOKEN).list().getItems().stream()
        .map(TokenStore::info).sorted(Comparator.comparing(TokenInfo::createdAt)).toList();
  }

  /** Marks a token revoked (kept, so a later attempt gets "revoked" and not "invalid"). */
  public boolean revoke(String id) {
    if (!id.matches("[0-9a-f]{16}")) return false;
    Secret s = secret(id);
    if (s == null) return false;
    client.secrets().inNamespace(PontoonNames.SYSTEM_NAMESPACE).withName(s.getMetadata().getName())
        .edit(x -> {
          x.getMetadata().getAnnotations().put(A_REVOKED, "true");
          return x;
        });
    return true;
  }

  /**
   * Checks {@code token} for {@code consumerClusterId} and, for a single-use token, binds it to
   * that cluster. Presenting a single-use token again from the same cluster succeeds (a retried
   * handshake), from another cluster it is {@link TokenRefusal#ALREADY_USED}.
   */
  public Optional<TokenRefusal> redeem(String token, String consumerClusterId) {
    byte[] presented;
    String id;
    if (token == null || !TOKEN_PATTERN.matcher(token).matches()) {
      MessageDigest.isEqual(DUMMY_HASH, hash(token == null ? "" : token));
      return Optional.of(TokenRefusal.INVALID);
    }
    id = token.substring(0, 16);
    presented = hash(token.substring(17));
    for (int attempt = 0; attempt < 5; attempt++) {
      Secret s = secret(id);
      byte[] stored = s == null || s.getData() == null || s.getData().get(K_HASH) == null
          ? DUMMY_HASH : Base64.getDecoder().decode(s.getData().get(K_HASH));
      boolean match = MessageDigest.isEqual(stored, presented);
      if (s == null || !match) return Optional.of(TokenRefusal.INVALID);
      TokenInfo info = info(s);
      if (info.revoked()) return Optional.of(TokenRefusal.REVOKED);
      if (!clock.instant().isBefore(info.expiresAt())) return Optional.of(TokenRefusal.EXPIRED);
      if (!info.singleUse()) return Optional.empty();
      if (info.usedBy() != null) {
        return info.usedBy().equals(consumerClusterId) ? Optional.empty() : Optional.of(TokenRefusal.ALREADY_USED);
      }
      Map<String, String> ann = new HashMap<>(s.getMetadata().getAnnotations());
      ann.put(A_USED_BY, consumerClusterId);
      ann.put(A_USED_AT, clock.instant().toString());
      s.getMetadata().setAnnotations(ann);
      try {
        // The resourceVersion we read makes this a compare-and-swap.
        client.secrets().resource(s).update();
        return Optional.empty();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
      }
    }
    throw new IllegalStateException("token " + id + " is being redeemed concurrently; retry");
  }

  private Secret secret(String id) {
    return client.secrets().inNamespace(PontoonNames.SYSTEM_NAMESPACE).withName(PREFIX + id).get();
  }

  private static TokenInfo info(Secret s) {
    Map<String, String> a = s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations();
    String name = s.getMetadata().getName();
    return new TokenInfo(
        name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name,
        parse(a.get(A_CREATED), Instant.EPOCH),
        parse(a.get(A_EXPIRES), Instant.EPOCH),
        Boolean.parseBoolean(a.get(A_SINGLE_USE)),
        Boolean.parseBoolean(a.get(A_REVOKED)),
        a.get(A_USED_BY),
        parse(a.get(A_USED_AT), null));
  }

  private static Instant parse(String s, Instant fallback) {
    try {
      return s == null ? fallback : Instant.parse(s);
    } catch (RuntimeException e) {
      return fallback;
    }
  }

  static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
