package io.pontoon.gateway.nat;

import java.util.List;

import io.pontoon.gateway.HostCommands;
import io.pontoon.gateway.ipam.Cidr;

/** Routes of peers' remapped CIDRs through their tunnel interfaces, and the tunnel addresses. */
public final class Routes {
  private final HostCommands cmd;

  public Routes(HostCommands cmd) {
    this.cmd = cmd;
  }

  /** Puts {@code address}/32 on the interface and routes {@code destination} through it from there. */
  public void ensure(String interfaceName, String address, Cidr destination) {
    cmd.run("ip", "addr", "replace", address + "/32", "dev", interfaceName);
    cmd.run("ip", "route", "replace", destination.toString(), "dev", interfaceName, "src", address);
  }

  /** Removes the route; a no-op when it is gone (as it is once the interface is deleted). */
  public void remove(Cidr destination) {
    cmd.run(List.of("ip", "route", "del", destination.toString()), null);
  }

  /** The routing table's lines for {@code destination} (empty when there is none). */
  public String show(Cidr destination) {
    return cmd.run(List.of("ip", "route", "show", destination.toString()), null).stdout().strip();
  }

  /** Lets the namespace forward packets between pods and the tunnel. */
  public void enableForwarding() {
    cmd.run(List.of("sysctl", "-qw", "net.ipv4.ip_forward=1"), null);
  }
}
