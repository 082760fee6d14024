package io.pontoon.discovery.dns;

/** No resolver gave a usable answer; the message lists what each one did. */
public final class DnsFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DnsFailure(String message) {
    super(message);
  }
}
