package io.pontoon.cli;

import io.pontoon.api.client.ProcessDefaults;

/** Entry point of the {@code pontoon} binary. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ProcessDefaults.apply();
    System.exit(PontoonCommand.commandLine().execute(args));
  }
}
