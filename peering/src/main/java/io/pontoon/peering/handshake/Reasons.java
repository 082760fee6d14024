package io.pontoon.peering.handshake;

/** Reasons of peering refusals beyond those in {@code PontoonNames.Reasons}. */
public final class Reasons {
  public static final String INVALID_REQUEST = "InvalidRequest";
  public static final String SELF_PEERING = "SelfPeering";
  public static final String NAME_CONFLICT = "ClusterNameConflict";
  /** The consumer's previous tenant is still being deleted: transient, the consumer retries soon. */
  public static final String TENANT_TERMINATING = "TenantTerminating";
  public static final String RATE_LIMITED = "TooManyAttempts";
  public static final String UNAUTHORIZED = "Unauthorized";
  public static final String NOT_FOUND = "NotFound";
  public static final String RBAC_DENIED = "RBACDenied";
  public static final String INTERNAL = "InternalError";
  public static final String CERTIFICATE_NOT_ISSUED = "CertificateNotIssued";

  private Reasons() {}
}
