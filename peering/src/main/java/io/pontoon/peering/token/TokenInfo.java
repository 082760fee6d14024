package io.pontoon.peering.token;

import java.time.Instant;

/** What is known about a stored token; never the secret itself. */
public record TokenInfo(
    String id, Instant createdAt, Instant expiresAt, boolean singleUse, boolean revoked,
    String usedBy, Instant usedAt) {

  public String state(Instant now) {
    if (revoked) return "Revoked";
    if (singleUse && usedBy != null) return "Used";
    if (!now.isBefore(expiresAt)) return "Expired";
    return "Valid";
  }
}
