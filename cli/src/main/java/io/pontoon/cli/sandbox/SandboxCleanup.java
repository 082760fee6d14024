package io.pontoon.cli.sandbox;

/** What is left on the host after the cluster processes stop: the dataplane's namespaces and links. */
final class SandboxCleanup {
  private SandboxCleanup() {}

  static void afterStop(SandboxState state) {
    // the dataplane's cleanup of network namespaces, veths and bridges hooks in here
  }
}
