package io.pontoon.cli.discovery;

import io.pontoon.cli.CliRun;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.api.PontoonNames;
import io.pontoon.discovery.Announcement;
import io.pontoon.discovery.ZoneRecords;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.HostRequirements;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code pontoon dns-records} against a sandbox API server, and its output served by dnsmasq to {@code pontoon discover}. */
@ExtendWith(SandboxExtension.class)
class DiscoveryCommandsIT {
  static final String ID = "5a0c1e2d-3b4f-4a5b-8c6d-7e8f9a0b1c2d";
  static final String FP = "sha256:" + "9f".repeat(32);

  @TempDir Path dir;


  static CliRun pontoon(String... args) {
    return CliRun.run(args);
  }

  @Test
  void dnsRecordsPrintsTheClustersRecordsAndSaysWhenTheAgentHasNotWrittenThem(SandboxApiServer server) throws Exception {
    Path kubeconfig = server.writeAdminKubeconfig(dir.resolve("kubeconfig"));
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(server.adminConfig()).build()) {
      CliRun missing = pontoon("--kubeconfig", kubeconfig.toString(), "dns-records", "--domain", "ex.test");
      assertThat(missing.exit()).isEqualTo(1);
      assertThat(missing.err()).contains("no Pontoon identity");

      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(PontoonNames.SYSTEM_NAMESPACE)
          .endMetadata().build()).create();
    }
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(server.adminConfig()).build()) {
      var cm = client.configMaps().inNamespace(PontoonNames.SYSTEM_NAMESPACE).resource(new ConfigMapBuilder()
          .withNewMetadata().withName(PontoonNames.IDENTITY_CONFIGMAP).endMetadata()
          .withData(Map.of("clusterID", ID, "clusterName", "west")).build()).create();
      CliRun noEndpoint = pontoon("--kubeconfig", kubeconfig.toString(), "dns-records", "--domain", "ex.test");
      assertThat(noEndpoint.exit()).isEqualTo(1);
      assertThat(noEndpoint.err()).contains("has no peeringURL").contains("agent has not published");

      cm.getData().put("peeringURL", "https://192.0.2.7:8443");
      cm.getData().put("fingerprint", FP);
      client.configMaps().inNamespace(PontoonNames.SYSTEM_NAMESPACE).resource(cm).update();
      CliRun ok = pontoon("--kubeconfig", kubeconfig.toString(), "dns-records", "--domain", "ex.test", "--ttl", "60");
      assertThat(ok.exit()).as(ok.err()).isZero();
      assertThat(ok.out()).contains(
          "_pontoon._tcp.ex.test. 60 IN PTR west._pontoon._tcp.ex.test.\n",
          "west._pontoon._tcp.ex.test. 60 IN SRV 0 0 8443 west.ex.test.\n",
          "west._pontoon._tcp.ex.test. 60 IN TXT \"v=1\" \"id=" + ID + "\" \"name=west\" \"fp=" + FP + "\"\n",
          "west.ex.test. 60 IN A 192.0.2.7\n");
      assertThat(pontoon("--kubeconfig", kubeconfig.toString(), "dns-records", "--domain", "bad domain").exit())
          .isEqualTo(2);
    }
  }

  @Test
  void discoverListsWhatDnsmasqServes() throws Exception {
    HostRequirements.check().tool("dnsmasq", "dnsmasq-base").orSkip();
    ZoneRecords zr = ZoneRecords.of("ex.test", Announcement.of(ID, "west", "192.0.2.7", 8443, FP),
        Duration.ofSeconds(60), List.of());
    int port = freePort();
    List<String> cmd = new ArrayList<>(List.of("dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=" + port,
        "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--local=/ex.test/",
        "--local-ttl=60",
        "--ptr-record=" + zr.serviceName() + "," + zr.instanceName(),
        "--srv-host=" + zr.instanceName() + "," + zr.target() + ",8443,0,0",
        "--txt-record=" + zr.instanceName() + "," + String.join(",", zr.announcement().txt()),
        "--host-record=" + zr.target() + ",192.0.2.7"));
    Process dnsmasq = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.log").toFile()).start();
    try {
      String server = "127.0.0.1:" + port;
      // until dnsmasq listens
      CliRun table = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .pollInterval(java.time.Duration.ofMillis(100))
          .until(() -> pontoon("discover", "--dns-domain", "ex.test", "--dns-server", server, "--timeout", "2s"),
              r -> r.exit() == 0);
      assertThat(table.exit()).as(table.err()).isZero();
      assertThat(table.out()).startsWith("NAME").contains("west", ID, "https://west.ex.test:8443", FP, "dns:ex.test");

      CliRun json = pontoon("discover", "--dns-domain", "ex.test", "--dns-server", server, "-o", "json");
      assertThat(json.exit()).isZero();
      JsonNode rows = new ObjectMapper().readTree(json.out());
      assertThat(rows).hasSize(1);
      assertThat(rows.get(0).get("clusterID").asText()).isEqualTo(ID);
      assertThat(rows.get(0).get("addresses").get(0).asText()).isEqualTo("192.0.2.7");

      CliRun none = pontoon("discover", "--dns-domain", "nobody.ex.test", "--dns-server", server);
      assertThat(none.exit()).isZero();
      assertThat(none.out()).contains("No clusters found.");

      CliRun usage = pontoon("discover");
      assertThat(usage.exit()).isEqualTo(2);
      assertThat(usage.err()).contains("give --dns-domain D and/or --mdns");
      assertThat(pontoon("discover", "--dns-domain", "ex.test", "--dns-server", "127.0.0.1:99999").exit()).isEqualTo(2);
    } finally {
      dnsmasq.destroy();
      dnsmasq.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aResolverThatNeverAnswersIsAOneLineFailure() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      CliRun r = pontoon("discover", "--dns-domain", "ex.test", "--dns-server", "127.0.0.1:" + silent.getLocalPort(),
          "--timeout", "500ms");
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).contains("discovery failed").contains("timed out");
    }
  }

  static int freePort() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    for (int i = 0; i < 50; i++) {
      try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(lo, 0));
           ServerSocket t = new ServerSocket(u.getLocalPort(), 1, lo)) {
        return u.getLocalPort();
      } catch (java.io.IOException e) {
        // try another
      }
    }
    throw new IllegalStateException("no free port");
  }
}
