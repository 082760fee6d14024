package io.pontoon.gateway;

import java.util.List;

/** A host command exited non-zero, timed out or could not start; the message says which and why. */
public class CommandFailedException extends RuntimeException {
  private final List<String> command;
  private final int exitCode;
  private final String stderr;

  public CommandFailedException(List<String> command, int exitCode, String stderr, String message) {
    super(message);
    this.command = List.copyOf(command);
    this.exitCode = exitCode;
    this.stderr = stderr == null ? "" : stderr;
  }

  public List<String> command() {
    return command;
  }

  public int exitCode() {
    return exitCode;
  }

  public String stderr() {
    return stderr;
  }
}
