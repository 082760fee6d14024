package io.pontoon.peering.token;

import io.pontoon.api.PontoonNames;

/** Why a token was refused; each has its own reason and message so a user knows what to do. */
public enum TokenRefusal {
  INVALID(PontoonNames.Reasons.TOKEN_INVALID,
      "the token is not valid for this cluster; create a new one with 'pontoon token' on the provider"),
  EXPIRED(PontoonNames.Reasons.TOKEN_EXPIRED,
      "the token has expired; create a new one with 'pontoon token' on the provider"),
  REVOKED(PontoonNames.Reasons.TOKEN_REVOKED,
      "the token was revoked; create a new one with 'pontoon token' on the provider"),
  ALREADY_USED(PontoonNames.Reasons.TOKEN_ALREADY_USED,
      "the single-use token was already used by another cluster; create a new one with 'pontoon token'");

  private final String reason;
  private final String message;

  TokenRefusal(String reason, String message) {
    this.reason = reason;
    this.message = message;
  }

  public String reason() {
    return reason;
  }

  public String message() {
    return message;
  }
}
