package io.pontoon.sandbox.cluster.dataplane;

import java.time.Duration;
import java.util.List;

/** A host command did not finish in time and was killed. */
public final class CommandTimeoutException extends CommandException {
  public CommandTimeoutException(List<String> command, Duration timeout, String stderr) {
    super(command, -1, stderr, "command `" + String.join(" ", command) + "` did not finish within " + timeout
        + " and was killed" + (stderr.isBlank() ? "" : ": " + stderr.strip()), null);
  }
}
