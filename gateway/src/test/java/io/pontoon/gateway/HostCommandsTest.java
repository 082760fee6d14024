package io.pontoon.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostCommandsTest {
  @Test
  void aMissingToolNamesItsDebianPackage() {
    assertThatThrownBy(() -> HostCommands.host().run("pontoon-no-such-tool", "x"))
        .isInstanceOf(ToolMissingException.class).hasMessageContaining("pontoon-no-such-tool");
    assertThat(new ToolMissingException("wg", HostCommands.DEBIAN_PACKAGES.get("wg")).getMessage())
        .contains("install the Debian package wireguard-tools");
    assertThat(HostCommands.DEBIAN_PACKAGES).containsEntry("wireguard-go", "wireguard-go")
        .containsEntry("nft", "nftables").containsEntry("ip", "iproute2");
  }

  @Test
  void passesStdinAndReportsFailures() {
    HostCommands.Result r = HostCommands.host().run(List.of("cat"), "secret\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(r.ok()).isTrue();
    assertThat(r.stdout()).isEqualTo("secret\n");
    assertThatThrownBy(() -> HostCommands.host().run("sh", "-c", "echo nope >&2; exit 3"))
        .isInstanceOf(CommandFailedException.class).hasMessageContaining("exit 3").hasMessageContaining("nope");
  }

  @Test
  void wrapsCommandsForANetworkNamespace() {
    assertThat(HostCommands.inNetns("gw-1").wrap(List.of("ip", "link")))
        .containsExactly("ip", "netns", "exec", "gw-1", "ip", "link");
    // wg and wireguard-go see the namespace's own socket directory as /var/run/wireguard
    List<String> wg = HostCommands.inNetns("gw-1").wrap(List.of("wg", "show"));
    assertThat(wg).startsWith("ip", "netns", "exec", "gw-1", "sh", "-c").endsWith("/run/pontoon/wireguard/gw-1", "wg", "show");
    assertThat(wg.get(6)).contains("mount --bind", "/var/run/wireguard");
    assertThat(HostCommands.inNetns("gw-1").wireGuardSocketDir()).hasToString("/run/pontoon/wireguard/gw-1");
    assertThat(HostCommands.host().wireGuardSocketDir()).hasToString("/var/run/wireguard");
    assertThat(HostCommands.inNetns(null).wrap(List.of("wg"))).containsExactly("wg");
  }
}
