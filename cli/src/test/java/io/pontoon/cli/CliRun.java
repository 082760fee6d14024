package io.pontoon.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The {@code pontoon} command run in-process, as a user types it: exit code, stdout, stderr. */
public record CliRun(int code, String out, String err) {
  public static CliRun run(String... args) {
    CommandLine cl = PontoonCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** Alias of {@link #code()}, for tests that read better with it. */
  public int exitCode() {
    return code;
  }

  public int exit() {
    return code;
  }
}
