package io.pontoon.gateway.ipam;

/** IPAM could not answer; {@link #reason()} is a condition reason such as {@code CIDRExhausted}. */
public final class IpamException extends RuntimeException {
  private final String reason;

  public IpamException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public IpamException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
