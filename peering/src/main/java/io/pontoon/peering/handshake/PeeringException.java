package io.pontoon.peering.handshake;

/**
 * A peering step that failed for a reason a user can act on: the HTTP status the service
 * answers with, a CamelCase reason (also a condition reason) and a message.
 */
public final class PeeringException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String reason;

  public PeeringException(int status, String reason, String message) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
  }

  public PeeringException(int status, String reason, String message, Throwable cause) {
    super(message, cause, false, false);
    this.status = status;
    this.reason = reason;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }
}
