package io.pontoon.discovery;

/**
 * Receives what a browser sees. Calls for one instance arrive in order (appeared, updated…, gone)
 * and never concurrently; implementations should return quickly.
 */
public interface DiscoveryListener {
  /** An instance was announced that was not known. */
  void appeared(Discovered instance);

  /** A known instance now announces something else (endpoint, fingerprint, addresses). */
  void updated(Discovered previous, Discovered current);

  /** A known instance said goodbye or its records expired. */
  void gone(Discovered instance);
}
