package io.pontoon.discovery.dns;

/** A DNS response that cannot be used: unparsable, or not an answer to the question asked. */
public final class MalformedResponseException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedResponseException(String message) {
    super(message);
  }

  public MalformedResponseException(String message, Throwable cause) {
    super(message, cause);
  }
}
