package io.pontoon.discovery;

/** An announcement that breaks the TXT or endpoint rules; the message says which rule. */
public final class InvalidAnnouncementException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidAnnouncementException(String message) {
    super(message);
  }
}
