package io.pontoon.sandbox.apiserver;

import io.pontoon.sandbox.apiserver.auth.UserInfo;
import io.pontoon.sandbox.apiserver.auth.X509;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who is calling: a client certificate signed by the cluster CA (CN = user, O = groups), a
 * bearer token (the admin token or a ServiceAccount token from TokenRequest), or nobody
 * ({@code system:anonymous}). A token that is presented but unknown is a 401, as in kube.
 */
final class Authenticator {
  private final X509Certificate ca;
  private final Tokens tokens;
  private static final int MAX_KNOWN = 4096;
  /** Per verified certificate, the user it names (empty: no CN). */
  private final java.util.Map<X509Certificate, Optional<UserInfo>> known = new java.util.concurrent.ConcurrentHashMap<>();

  Authenticator(X509Certificate ca, Tokens tokens) {
    this.ca = ca;
    this.tokens = tokens;
  }

  UserInfo authenticate(List<Certificate> peerCertificates, String authorization) {
    if (authorization != null && !authorization.isBlank()) {
      String value = authorization.trim();
      int space = 0;
      while (space < value.length() && !Character.isWhitespace(value.charAt(space))) space++;
      if (space < value.length() && value.substring(0, space).equalsIgnoreCase("Bearer")) {
        return tokens.userFor(value.substring(space).trim()).orElseThrow(Authenticator::unauthorized);
      }
      throw unauthorized();
    }
    if (peerCertificates == null || peerCertificates.isEmpty()
        || !(peerCertificates.get(0) instanceof X509Certificate leaf)) {
      return UserInfo.anonymous();
    }
    // a certificate without a common name authenticates nobody, as in kube's x509 authenticator
    return userOf(leaf).orElseThrow(Authenticator::unauthorized);
  }

  private Optional<UserInfo> userOf(X509Certificate leaf) {
    try {
      // The signature check (an ECDSA verification) and the name parsing are done once per
      // certificate, not per request; the validity period is checked every time.
      Optional<UserInfo> user = known.get(leaf);
      if (user == null) {
        leaf.verify(ca.getPublicKey());
        user = X509.user(leaf).map(u -> UserInfo.authenticated(u.name(), "", u.groups()));
        if (known.size() > MAX_KNOWN) known.clear();
        known.put(leaf, user);
      }
      leaf.checkValidity(java.util.Date.from(Instant.now()));
      return user;
    } catch (Exception e) {
      throw unauthorized();
    }
  }

  static ApiException unauthorized() {
    return new ApiException(401, "Unauthorized", "Unauthorized");
  }
}
