package io.pontoon.sandbox.cluster.dataplane;

import java.util.List;

/** A host command failed: names the command, its exit code and what it wrote on stderr. */
public class CommandException extends RuntimeException {
  private final List<String> command;
  private final int exitCode;
  private final String stderr;

  public CommandException(List<String> command, int exitCode, String stderr) {
    this(command, exitCode, stderr, "command `" + String.join(" ", command) + "` failed with exit code " + exitCode
        + (stderr.isBlank() ? "" : ": " + stderr.strip()), null);
  }

  protected CommandException(List<String> command, int exitCode, String stderr, String message, Throwable cause) {
    super(message, cause);
    this.command = List.copyOf(command);
    this.exitCode = exitCode;
    this.stderr = stderr;
  }

  public List<String> command() {
    return command;
  }

  /** The exit code, or -1 when the command did not run to completion (missing tool, timeout). */
  public int exitCode() {
    return exitCode;
  }

  public String stderr() {
    return stderr;
  }
}
