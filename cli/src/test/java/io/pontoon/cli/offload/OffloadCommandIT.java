package io.pontoon.cli.offload;

import io.pontoon.cli.CliRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.Crds;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.NamespaceOffloading;
import io.pontoon.api.v1alpha1.PodOffloadingStrategy;
import io.pontoon.peering.offloading.OffloadingControllers;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pontoon offload|unoffload namespace} against a consumer API server whose agent controllers
 * run, peered (admin credentials standing in) with one provider that runs its own.
 */
class OffloadCommandIT {
  @TempDir static Path dir;
  static SandboxApiServer home;
  static SandboxApiServer provider;
  static KubernetesClient homeClient;
  static KubernetesClient providerClient;
  static Path kubeconfig;
  static final List<AutoCloseable> running = new ArrayList<>();


  @BeforeAll
  static void start() throws Exception {
    ClusterIdentity identity = new ClusterIdentity(UUID.randomUUID().toString(), "home");
    home = SandboxApiServer.start(SandboxApiServer.Options.defaults("home"));
    provider = SandboxApiServer.start(SandboxApiServer.Options.defaults("far"));
    homeClient = new KubernetesClientBuilder().withConfig(home.adminConfig()).build();
    providerClient = new KubernetesClientBuilder().withConfig(provider.adminConfig()).build();
    Crds.install(homeClient, Duration.ofSeconds(30));
    Crds.install(providerClient, Duration.ofSeconds(30));
    providerClient.namespaces().resource(namespace(PontoonNames.tenantNamespace("home"))).create();

    String providerId = UUID.randomUUID().toString();
    ForeignCluster fc = new ForeignCluster();
    fc.getMetadata().setName("far");
    fc.getSpec().setClusterID(providerId);
    fc.getSpec().setClusterName("far");
    homeClient.resources(ForeignCluster.class).resource(fc).create();
    homeClient.namespaces().resource(namespace(PontoonNames.tenantNamespace("far"))).create();
    homeClient.secrets().inNamespace(PontoonNames.tenantNamespace("far")).resource(new SecretBuilder()
        .withNewMetadata().withName(PontoonNames.PEER_CREDENTIALS_SECRET).endMetadata()
        .addToData(PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY, Base64.getEncoder()
            .encodeToString(provider.adminKubeconfig().getBytes(StandardCharsets.UTF_8))).build()).create();
    homeClient.nodes().resource(new NodeBuilder().withNewMetadata().withName(PontoonNames.virtualNodeName("far"))
        .addToLabels(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_VIRTUAL_NODE)
        .addToLabels(PontoonNames.LABEL_REMOTE_CLUSTER_ID, providerId)
        .addToLabels("region", "eu").endMetadata().build()).create();

    OffloadingControllers.Component providerSide = OffloadingControllers.providerSide(providerClient);
    providerSide.start();
    running.add(providerSide);
    OffloadingControllers.Component consumerSide = OffloadingControllers.consumerSide(homeClient, identity);
    consumerSide.start();
    running.add(consumerSide);
    kubeconfig = home.writeAdminKubeconfig(dir.resolve("home.kubeconfig"));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : running) c.close();
    for (AutoCloseable c : new AutoCloseable[] {homeClient, providerClient, home, provider}) {
      if (c != null) c.close();
    }
  }

  static io.fabric8.kubernetes.api.model.Namespace namespace(String name) {
    return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  static CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of("--kubeconfig", kubeconfig.toString()));
    all.addAll(List.of(args));
    return CliRun.run(all.toArray(String[]::new));
  }

  @Test
  void offloadWaitsForTheTwinNamespaceThenUnoffloadRemovesIt() {
    homeClient.namespaces().resource(namespace("web")).create();

    CliRun offload = run("offload", "namespace", "web", "--strategy", "Remote", "--mapping", "EnforceSameName",
        "--selector", "region=eu", "--wait", "--timeout", "30s");

    assertThat(offload.code()).as(offload.err()).isZero();
    assertThat(offload.out()).contains("namespace web offloaded (strategy Remote, mapping EnforceSameName)")
        .contains("far").contains("Ready").contains("namespace web is ready on 1 cluster(s) as web");
    assertThat(providerClient.namespaces().withName("web").get()).isNotNull();
    NamespaceOffloading o = homeClient.resources(NamespaceOffloading.class).inNamespace("web").withName("offloading").get();
    assertThat(o.getSpec().getPodOffloadingStrategy()).isEqualTo(PodOffloadingStrategy.Remote);
    assertThat(o.getSpec().getClusterSelector().getMatchExpressions()).singleElement()
        .satisfies(e -> assertThat(e.getKey()).isEqualTo("region"));

    CliRun again = run("offload", "namespace", "web", "--strategy", "Remote", "--mapping", "EnforceSameName",
        "--selector", "region=eu");
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("unchanged");

    CliRun unoffload = run("unoffload", "namespace", "web", "--wait", "--timeout", "30s");
    assertThat(unoffload.code()).as(unoffload.err()).isZero();
    assertThat(unoffload.out()).contains("namespace web unoffloaded");
    assertThat(providerClient.namespaces().withName("web").get()).isNull();
    assertThat(homeClient.resources(NamespaceOffloading.class).inNamespace("web").withName("offloading").get()).isNull();

    CliRun nothing = run("unoffload", "namespace", "web");
    assertThat(nothing.code()).isZero();
    assertThat(nothing.out()).contains("not offloaded");
  }

  @Test
  void badInputIsRefusedWithWhatToDo() {
    homeClient.namespaces().resource(namespace("bad")).create();
    CliRun noName = run("offload", "namespace", "bad", "--mapping", "SelectedName");
    assertThat(noName.code()).isEqualTo(2);
    assertThat(noName.err()).contains("--mapping SelectedName needs --remote-namespace NAME");

    CliRun missing = run("offload", "namespace", "does-not-exist");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("namespace does-not-exist does not exist").contains("kubectl create namespace");

    CliRun selector = run("offload", "namespace", "bad", "--selector", "region=eu,,x");
    assertThat(selector.code()).isEqualTo(2);
    assertThat(selector.err()).contains("--selector has an empty term");

    CliRun strategy = run("offload", "namespace", "bad", "--strategy", "Everywhere");
    assertThat(strategy.code()).isEqualTo(2);
    assertThat(strategy.err()).contains("Local, Remote, LocalAndRemote");

    CliRun nowhere = run("offload", "namespace", "bad", "--selector", "region=mars", "--wait", "--timeout", "20s");
    assertThat(nowhere.code()).isEqualTo(1);
    assertThat(nowhere.err()).contains("no peered cluster matches --selector region=mars");
  }
}
