package io.pontoon.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pontoon.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway of each dataplane cluster in {@code sandbox.json}, in {@code sandbox status}, and in
 * the agent's arguments; older state files still read.
 */
class SandboxGatewayStateTest {
  /** A pid that is not running: status reads the state without contacting a cluster. */
  private static final long GONE = Long.MAX_VALUE;

  @TempDir Path dir;

  @Test
  void theGatewayOfEachClusterIsRecordedAndReadBack() throws Exception {
    SandboxState state = new SandboxState("a1b2c3", true, List.of(
        new SandboxState.Cluster("cluster-1", GONE, "https://127.0.0.1:1", "k1", "l1", 0,
            "pontoon-a1b2c3-gw-cluster-1", "100.127.0.1"),
        new SandboxState.Cluster("cluster-2", GONE, "https://127.0.0.1:2", "k2", "l2", 0,
            "pontoon-a1b2c3-gw-cluster-2", "100.127.0.2")));
    state.write(dir);

    JsonNode json = new ObjectMapper().readTree(dir.resolve(SandboxState.FILE).toFile());
    assertThat(json.path("clusters").get(1).path("gatewayNetns").asText()).isEqualTo("pontoon-a1b2c3-gw-cluster-2");
    assertThat(json.path("clusters").get(1).path("gatewayAddress").asText()).isEqualTo("100.127.0.2");
    assertThat(SandboxState.read(dir)).contains(state);
  }

  @Test
  void aStateFileWrittenBeforeGatewaysReadsWithoutThem() throws Exception {
    Files.writeString(dir.resolve(SandboxState.FILE), """
        {"sandboxId": "a1b2c3", "dataplane": false, "clusters": [
          {"name": "cluster-1", "pid": 12, "url": "https://127.0.0.1:1", "kubeconfig": "k", "log": "l"}]}
        """);
    SandboxState.Cluster c = SandboxState.read(dir).orElseThrow().clusters().get(0);
    assertThat(c.agentPid()).isZero();
    assertThat(c.gatewayNetns()).isNull();
    assertThat(c.gatewayAddress()).isNull();
    // and without a dataplane nothing is written for them
    new SandboxState("a1b2c3", false, List.of(c)).write(dir);
    assertThat(Files.readString(dir.resolve(SandboxState.FILE))).doesNotContain("gateway");
  }

  @Test
  void statusShowsTheGatewaysInTheTableAndInJson() throws Exception {
    new SandboxState("a1b2c3", true, List.of(new SandboxState.Cluster("cluster-1", GONE, "https://127.0.0.1:1", "k",
        "l", 0, "pontoon-a1b2c3-gw-cluster-1", "100.127.0.1"))).write(dir);

    CliRun table = CliRun.run("sandbox", "status", "--dir", dir.toString());
    assertThat(table.code()).as("the cluster process is not running").isEqualTo(1);
    assertThat(table.out()).contains("GATEWAY-WAN", "GATEWAY-NETNS", "100.127.0.1", "pontoon-a1b2c3-gw-cluster-1");

    CliRun json = CliRun.run("sandbox", "status", "--dir", dir.toString(), "-o", "json");
    JsonNode row = new ObjectMapper().readTree(json.out()).get(0);
    assertThat(row.path("gatewayNetns").asText()).isEqualTo("pontoon-a1b2c3-gw-cluster-1");
    assertThat(row.path("gatewayAddress").asText()).isEqualTo("100.127.0.1");
  }

  @Test
  void statusWithoutDataplaneHasNoGatewayColumns() throws Exception {
    new SandboxState("a1b2c3", false, List.of(new SandboxState.Cluster("cluster-1", GONE, "https://127.0.0.1:1", "k",
        "l"))).write(dir);
    assertThat(CliRun.run("sandbox", "status", "--dir", dir.toString()).out()).doesNotContain("GATEWAY");
  }

  @Test
  void theAgentGetsItsGatewayNamespaceAndWanEndpointOnlyWithTheDataplane() {
    List<String> plain = SandboxUpCommand.agentArgs(dir, "cluster-1", "10.244.0.0/16", "10.96.0.0/12", null, null);
    assertThat(plain).doesNotContain("--gateway-netns", "--gateway-endpoint").contains("--cluster-name", "cluster-1");

    List<String> dataplane = SandboxUpCommand.agentArgs(dir, "cluster-2", "10.244.0.0/16", "10.96.0.0/12",
        "pontoon-a1b2c3-gw-cluster-2", "100.127.0.2");
    assertThat(String.join(" ", dataplane))
        .contains("--gateway-netns pontoon-a1b2c3-gw-cluster-2 --gateway-endpoint 100.127.0.2:51820");
  }
}
