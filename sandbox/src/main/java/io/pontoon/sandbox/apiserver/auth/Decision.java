package io.pontoon.sandbox.apiserver.auth;

/**
 * The authorizer's answer. The reason is kube's: for RBAC allowances the binding, role and subject
 * that allowed it; for denials empty, or the rule resolution errors met on the way.
 */
public record Decision(boolean allowed, String reason) {
  public Decision {
    reason = reason == null ? "" : reason;
  }

  public static Decision allow(String reason) {
    return new Decision(true, reason);
  }

  public static Decision deny(String reason) {
    return new Decision(false, reason);
  }
}
