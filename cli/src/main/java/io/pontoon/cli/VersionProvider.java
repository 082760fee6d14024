package io.pontoon.cli;

import picocli.CommandLine;

/** Version from the jar manifest, so the binary and the build agree. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = PontoonCommand.class.getPackage().getImplementationVersion();
    return new String[] {"pontoon " + (v == null ? "dev" : v)};
  }
}
