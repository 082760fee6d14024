package io.pontoon.cli.sandbox;

import picocli.CommandLine;

/** Validation of CIDR flags. */
final class Cidrs {
  private Cidrs() {}

  static void requireIpv4Cidr(CommandLine cl, String flag, String value) {
    String[] parts = value.split("/");
    boolean ok = parts.length == 2;
    if (ok) {
      String[] octets = parts[0].split("\\.");
      ok = octets.length == 4;
      for (int i = 0; ok && i < 4; i++) ok = octets[i].matches("\\d{1,3}") && Integer.parseInt(octets[i]) <= 255;
      ok = ok && parts[1].matches("\\d{1,2}") && Integer.parseInt(parts[1]) >= 8 && Integer.parseInt(parts[1]) <= 28;
    }
    if (!ok) {
      throw new CommandLine.ParameterException(cl, flag + " must be an IPv4 CIDR with a prefix from /8 to /28 "
          + "(e.g. 10.244.0.0/16), got \"" + value + "\"");
    }
  }
}
