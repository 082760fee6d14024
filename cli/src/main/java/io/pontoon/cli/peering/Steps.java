package io.pontoon.cli.peering;

import io.pontoon.cli.UserError;
import java.io.PrintWriter;
import java.time.Duration;

/** Prints each step as it completes: ✔ or ✖, what happened, how long it took. */
final class Steps {
  private final PrintWriter out;
  private long start = System.nanoTime();

  Steps(PrintWriter out) {
    this.out = out;
  }

  void ok(String what) {
    out.println("✔ " + what + " (" + Durations.format(elapsed()) + ")");
    out.flush();
    start = System.nanoTime();
  }

  /** Prints the failed step and returns the error to throw (exit 1, the message on stderr). */
  UserError fail(String what, String why) {
    out.println("✖ " + what + " (" + Durations.format(elapsed()) + ")");
    out.flush();
    return new UserError(why);
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
