package io.pontoon.e2e;

import io.pontoon.cli.PontoonCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The {@code pontoon} command in-process, as a user types it. */
final class PontoonCli {
  record Result(int exitCode, String out, String err) {}

  private PontoonCli() {}

  static Result run(String... args) {
    CommandLine cl = PontoonCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Result(cl.execute(args), out.toString(), err.toString());
  }
}
