package io.pontoon.peering.handshake;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * RSA key pairs for the consumer's client certificate, each made ahead of its use on a background
 * thread: a 2048-bit key takes 0.1–0.3 s on a small machine, time a peering would otherwise wait.
 * One key is kept ready; taking it starts the next.
 */
public final class ClientKeys implements AutoCloseable {
  private final ExecutorService maker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "client-key-maker");
    t.setDaemon(true);
    return t;
  });
  private CompletableFuture<KeyPair> next;

  public ClientKeys() {
    next = make();
  }

  /** A fresh key pair never handed out before (made now if the one ahead failed). */
  public synchronized KeyPair take() {
    KeyPair pair;
    try {
      pair = next.join();
    } catch (RuntimeException e) {
      pair = generate();
    }
    next = make();
    return pair;
  }

  private CompletableFuture<KeyPair> make() {
    try {
      return CompletableFuture.supplyAsync(ClientKeys::generate, maker);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      return CompletableFuture.failedFuture(closed);
    }
  }

  /** RSA because every Kubernetes client (fabric8 included) reads PKCS#8 RSA keys from a kubeconfig. */
  static KeyPair generate() {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(2048);
      return gen.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no RSA key generator in this JDK", e);
    }
  }

  @Override
  public synchronized void close() {
    maker.shutdownNow();
    next.cancel(false); // a key not made yet never will be: take() then makes one itself
  }
}
