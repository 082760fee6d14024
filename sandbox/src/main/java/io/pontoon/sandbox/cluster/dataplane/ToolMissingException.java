package io.pontoon.sandbox.cluster.dataplane;

import java.util.List;

/** A host tool the dataplane needs is not installed; says which Debian package provides it. */
public final class ToolMissingException extends CommandException {
  private final String tool;
  private final String debianPackage;

  public ToolMissingException(List<String> command, String tool, String debianPackage, Throwable cause) {
    super(command, -1, "", "`" + tool + "` is not installed (needed for `" + String.join(" ", command)
        + "`): install the Debian package " + debianPackage + " (apt-get install " + debianPackage + ")", cause);
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
