package io.pontoon.cli.sandbox;

import io.pontoon.sandbox.cluster.dataplane.Dataplane;
import io.pontoon.sandbox.cluster.dataplane.SandboxId;

/** What is left on the host after the cluster processes stop: the dataplane's namespaces and links. */
final class SandboxCleanup {
  private SandboxCleanup() {}

  /** Removes every network namespace, link and process the sandbox's dataplane left behind. */
  static void afterStop(SandboxState state) {
    if (state.dataplane()) Dataplane.cleanup(new SandboxId(state.sandboxId()));
  }
}
