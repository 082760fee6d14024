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
  private static final int MAX_VERIFIED = 4096;
  private final java.util.Map<X509Certificate, Boolean> verified = new java.util.concurrent.ConcurrentHashMap<>();

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
    Optional<X509Certificate> cert = clientCertificate(peerCertificates);
    if (cert.isPresent()) {
      // a certificate without a common name authenticates nobody, as in kube's x509 authenticator
      UserInfo u = X509.user(cert.get()).orElseThrow(Authenticator::unauthorized);
      return UserInfo.authenticated(u.name(), "", u.groups());
    }
    return UserInfo.anonymous();
  }

  private Optional<X509Certificate> clientCertificate(List<Certificate> chain) {
    if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) return Optional.empty();
    try {
      // the signature check costs an ECDSA verification: done once per certificate, not per request
      if (!verified.containsKey(leaf)) {
        leaf.verify(ca.getPublicKey());
        if (verified.size() > MAX_VERIFIED) verified.clear();
        verified.put(leaf, Boolean.TRUE);
      }
      leaf.checkValidity(java.util.Date.from(Instant.now()));
      return Optional.of(leaf);
    } catch (Exception e) {
      throw unauthorized();
    }
  }

  static ApiException unauthorized() {
    return new ApiException(401, "Unauthorized", "Unauthorized");
  }
}
