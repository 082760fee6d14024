package io.pontoon.peering.token;

/** A token just created: the only time its secret exists outside the consumer's command line. */
public record IssuedToken(TokenInfo info, String secret) {
  @Override
  public String toString() {
    return "IssuedToken{id=" + info.id() + "}";
  }
}
