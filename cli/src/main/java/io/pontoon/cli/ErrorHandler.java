package io.pontoon.cli;

import picocli.CommandLine;

/**
 * Turns exceptions into one clear line on stderr and exit code 1. A {@link UserError} is an
 * expected failure (bad input, unreachable server); anything else is a bug and keeps its stack
 * trace when {@code PONTOON_DEBUG} is set.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
    String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    cl.getErr().println("error: " + msg);
    if (!(ex instanceof UserError) && System.getenv("PONTOON_DEBUG") != null) ex.printStackTrace(cl.getErr());
    return ex instanceof UserError ue ? ue.exitCode() : 1;
  }
}
