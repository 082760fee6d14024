package io.pontoon.sandbox.apiserver.auth;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who a request comes from, as authenticators report it. Groups keep their order (kube-apiserver
 * prints them in messages) and never repeat.
 */
public record UserInfo(String name, String uid, Set<String> groups) {
  public static final String ALL_AUTHENTICATED = "system:authenticated";
  public static final String ALL_UNAUTHENTICATED = "system:unauthenticated";
  public static final String ANONYMOUS = "system:anonymous";
  /** Members are allowed everything, by the authorizer and by RBAC escalation checks alike. */
  public static final String SYSTEM_MASTERS = "system:masters";

  public UserInfo {
    name = name == null ? "" : name;
    uid = uid == null ? "" : uid;
    groups = groups == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(groups));
  }

  public UserInfo(String name, Set<String> groups) {
    this(name, "", groups);
  }

  /**
   * A user as an authenticator hands it on: {@code system:authenticated} is appended unless the
   * groups already say authenticated or unauthenticated (kube's AuthenticatedGroupAdder).
   */
  public static UserInfo authenticated(String name, String uid, Collection<String> groups) {
    LinkedHashSet<String> all = new LinkedHashSet<>(groups);
    if (!all.contains(ALL_AUTHENTICATED) && !all.contains(ALL_UNAUTHENTICATED)) {
      all.add(ALL_AUTHENTICATED);
    }
    return new UserInfo(name, uid, all);
  }

  /** The user of requests without credentials, when anonymous requests are allowed. */
  public static UserInfo anonymous() {
    return new UserInfo(ANONYMOUS, "", Set.of(ALL_UNAUTHENTICATED));
  }

  public boolean inGroup(String group) {
    return groups.contains(group);
  }

  public boolean isMaster() {
    return groups.contains(SYSTEM_MASTERS);
  }
}
