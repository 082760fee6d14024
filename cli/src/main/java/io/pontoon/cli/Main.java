package io.pontoon.cli;

import io.pontoon.api.client.InMemoryKeyStores;

/** Entry point of the {@code pontoon} binary. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    InMemoryKeyStores.useCheapProtection();
    System.exit(PontoonCommand.commandLine().execute(args));
  }
}
