package io.pontoon.api.v1alpha1;

/** How this cluster learned about a foreign cluster. */
public enum DiscoveryType {
  /** Peered by a user with URL, fingerprint and token. */
  Manual,
  /** Announced in unicast DNS-SD. */
  DNS,
  /** Announced over mDNS. */
  LAN,
  /** A consumer that peered with this cluster. */
  Incoming
}
