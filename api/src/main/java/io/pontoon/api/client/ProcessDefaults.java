package io.pontoon.api.client;

/**
 * System properties every Pontoon process sets first thing in {@code main}, before the classes
 * that read them are loaded. A value given on the command line wins.
 */
public final class ProcessDefaults {
  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";
  static final String CLIENT_CIPHER_SUITES = "jdk.tls.client.cipherSuites";
  /**
   * The JDK's enabled TLS 1.3 and ECDHE AEAD suites (what kube-apiserver accepts by default), the
   * ChaCha20-Poly1305 ones first.
   */
  static final String CHACHA_FIRST = String.join(",", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");

  private ProcessDefaults() {}

  public static void apply() {
    InMemoryKeyStores.useCheapProtection();
    useCommonPoolOnSmallMachines(Runtime.getRuntime().availableProcessors());
    preferChaChaWithoutC2(hasC2());
  }

  /**
   * Without C2 (the virtual kubelet runs C1 only) the JDK's AES-GCM runs without its intrinsics:
   * 45 MB/s against 208 MB/s for ChaCha20-Poly1305 on a build machine core (1,284 against 353 with
   * C2), and TLS decryption took 14 % of a virtual kubelet's CPU in a pod burst. Such a process
   * lists ChaCha20 first as a TLS client; kube-apiserver (Go) and BoringSSL servers (the sandbox's)
   * then pick it, and every server can still pick AES. With C2 the JDK's order, AES first, stays;
   * a list given on the command line wins.
   */
  static void preferChaChaWithoutC2(boolean c2) {
    if (!c2 && System.getProperty(CLIENT_CIPHER_SUITES) == null) {
      System.setProperty(CLIENT_CIPHER_SUITES, CHACHA_FIRST);
    }
  }

  /** Whether this JVM compiles with C2: tiered up to level 4, or C2 alone; true when it cannot tell. */
  static boolean hasC2() {
    try {
      var vm = java.lang.management.ManagementFactory.getPlatformMXBean(
          com.sun.management.HotSpotDiagnosticMXBean.class);
      if (!Boolean.parseBoolean(vm.getVMOption("UseCompiler").getValue())) return false;
      if (!Boolean.parseBoolean(vm.getVMOption("TieredCompilation").getValue())) return true;
      return Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) >= 4;
    } catch (RuntimeException | LinkageError unknown) {
      return true;
    }
  }

  /**
   * With fewer than 3 CPUs the common ForkJoinPool has parallelism 1, and CompletableFuture then
   * starts a new thread for every async stage that names no executor. The JDK HTTP client (under
   * every fabric8 client) has such a stage on each request, so on two cores each API call started
   * and ended a thread: 34,000 of them in the sandbox while 10,000 pods started. A common pool of
   * 2 avoids that.
   */
  static void useCommonPoolOnSmallMachines(int cpus) {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null && cpus < 3) {
      System.setProperty(COMMON_POOL_PARALLELISM, "2");
    }
  }
}
