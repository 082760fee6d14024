package io.pontoon.api.client;

/**
 * System properties every Pontoon process sets first thing in {@code main}, before the classes
 * that read them are loaded. A value given on the command line wins.
 */
public final class ProcessDefaults {
  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private ProcessDefaults() {}

  public static void apply() {
    InMemoryKeyStores.useCheapProtection();
    useCommonPoolOnSmallMachines(Runtime.getRuntime().availableProcessors());
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
