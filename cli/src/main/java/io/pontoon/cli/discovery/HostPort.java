package io.pontoon.cli.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import picocli.CommandLine;

/** {@code HOST}, {@code HOST:PORT}, {@code [V6]:PORT}, as given to {@code --dns-server}. */
public final class HostPort {
  private HostPort() {}

  public static InetSocketAddress parse(CommandLine cl, String flag, String value, int defaultPort) {
    String host = value.trim();
    int port = defaultPort;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) throw bad(cl, flag, value);
      String rest = host.substring(close + 1);
      host = host.substring(1, close);
      if (!rest.isEmpty()) port = port(cl, flag, value, rest.startsWith(":") ? rest.substring(1) : "x");
    } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      port = port(cl, flag, value, host.substring(host.indexOf(':') + 1));
      host = host.substring(0, host.indexOf(':'));
    }
    if (host.isEmpty()) throw bad(cl, flag, value);
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new CommandLine.ParameterException(cl, flag + " " + value + ": unknown host " + host);
    }
  }

  private static int port(CommandLine cl, String flag, String value, String p) {
    try {
      int port = Integer.parseInt(p);
      if (port >= 1 && port <= 65535) return port;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(cl, flag, value);
  }

  private static CommandLine.ParameterException bad(CommandLine cl, String flag, String value) {
    return new CommandLine.ParameterException(cl, flag + " must be HOST or HOST:PORT (port 1-65535), got \"" + value + "\"");
  }
}
