package io.pontoon.gateway;

import java.util.List;

/** A command the gateway needs is not installed; the message names the Debian package. */
public final class ToolMissingException extends CommandFailedException {
  private final String tool;
  private final String debianPackage;

  public ToolMissingException(String tool, String debianPackage) {
    super(List.of(tool), -1, "", "the `" + tool + "` command is not installed; install the Debian "
        + "package " + debianPackage + " (apt-get install " + debianPackage + ")");
    this.tool = tool;
    this.debianPackage = debianPackage;
  }

  public String tool() {
    return tool;
  }

  public String debianPackage() {
    return debianPackage;
  }
}
