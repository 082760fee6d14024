package io.pontoon.sandbox.apiserver.auth;

import java.util.List;

/**
 * What the API server needs to know about a PKCS#10 request: its subject, its subject alternative
 * names and the kind of key ("RSA", "EC", "Ed25519", ...).
 */
public record CsrInfo(
    String commonName,
    List<String> organizations,
    List<String> dnsNames,
    List<String> ipAddresses,
    List<String> emailAddresses,
    List<String> uris,
    String publicKeyAlgorithm) {

  public CsrInfo {
    organizations = List.copyOf(organizations);
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
    emailAddresses = List.copyOf(emailAddresses);
    uris = List.copyOf(uris);
  }

  /** The request's user name and groups, as a certificate made from it would authenticate. */
  public UserInfo user() {
    return UserInfo.authenticated(commonName, "", organizations);
  }
}
