package io.pontoon.sandbox.apiserver.auth;

import java.util.List;
import java.util.Optional;

/** Names kube-apiserver gives service account identities. */
public final class ServiceAccounts {
  public static final String USERNAME_PREFIX = "system:serviceaccount:";
  public static final String ALL_SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";
  public static final String NAMESPACE_GROUP_PREFIX = "system:serviceaccounts:";

  /** A service account's namespace and name. */
  public record Ref(String namespace, String name) {}

  private ServiceAccounts() {}

  /** {@code system:serviceaccount:<namespace>:<name>} */
  public static String username(String namespace, String name) {
    return USERNAME_PREFIX + namespace + ":" + name;
  }

  /** {@code system:serviceaccounts} and {@code system:serviceaccounts:<namespace>}. */
  public static List<String> groups(String namespace) {
    return List.of(ALL_SERVICE_ACCOUNTS_GROUP, NAMESPACE_GROUP_PREFIX + namespace);
  }

  /** The user a token of this service account authenticates as. */
  public static UserInfo user(String namespace, String name, String uid) {
    return UserInfo.authenticated(username(namespace, name), uid, groups(namespace));
  }

  /** The service account a user name denotes; empty for other users or malformed names. */
  public static Optional<Ref> parse(String username) {
    if (username == null || !username.startsWith(USERNAME_PREFIX)) return Optional.empty();
    String rest = username.substring(USERNAME_PREFIX.length());
    int colon = rest.indexOf(':');
    if (colon <= 0 || colon == rest.length() - 1 || rest.indexOf(':', colon + 1) >= 0) return Optional.empty();
    return Optional.of(new Ref(rest.substring(0, colon), rest.substring(colon + 1)));
  }

  /** Whether the user name is that of the given service account, without building strings. */
  public static boolean matches(String namespace, String name, String username) {
    if (username == null || !username.startsWith(USERNAME_PREFIX)) return false;
    int nsStart = USERNAME_PREFIX.length();
    int nsEnd = nsStart + namespace.length();
    return username.length() == nsEnd + 1 + name.length()
        && username.startsWith(namespace, nsStart)
        && username.charAt(nsEnd) == ':'
        && username.startsWith(name, nsEnd + 1);
  }
}
