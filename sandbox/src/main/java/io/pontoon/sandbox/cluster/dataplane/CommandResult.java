package io.pontoon.sandbox.cluster.dataplane;

import java.util.List;

/** What a finished host command returned. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {
  public CommandResult {
    command = List.copyOf(command);
  }

  public boolean ok() {
    return exitCode == 0;
  }

  /** Throws a {@link CommandException} naming the command and its stderr unless it succeeded. */
  public CommandResult orThrow() {
    if (!ok()) throw new CommandException(command, exitCode, stderr);
    return this;
  }
}
