package io.pontoon.cli;

import picocli.CommandLine;

/** Entry point of the {@code pontoon} binary. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(PontoonCommand.commandLine().execute(args));
  }
}
