package io.pontoon.vk;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.Crds;
import io.pontoon.api.PontoonNames;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import io.pontoon.sandbox.junit.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A home and a provider sandbox cluster, Pontoon's CRDs on both, the home identity written, and
 * the provider reached through a {@link TcpProxy} so a test can cut the link.
 */
final class TwoClusters implements AutoCloseable {
  final SandboxCluster home;
  final SandboxCluster provider;
  final TcpProxy link;
  final ClusterIdentity homeId = new ClusterIdentity(UUID.randomUUID().toString(), "home");
  final ClusterIdentity providerId = new ClusterIdentity(UUID.randomUUID().toString(), "provider");
  final KubernetesClient foreign;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  TwoClusters() {
    home = SandboxCluster.start(ClusterSpec.defaults("home").withNodes(1).withTimings(ClusterSpec.Timings.fast()));
    provider = SandboxCluster.start(ClusterSpec.defaults("provider").withNodes(2)
        .withTimings(ClusterSpec.Timings.fast()));
    Crds.install(home.client(), Duration.ofSeconds(30));
    Crds.install(provider.client(), Duration.ofSeconds(30));
    home.client().namespaces().resource(new NamespaceBuilder().withNewMetadata()
        .withName(PontoonNames.SYSTEM_NAMESPACE).endMetadata().build()).create();
    home.client().configMaps().inNamespace(PontoonNames.SYSTEM_NAMESPACE).resource(new ConfigMapBuilder()
        .withNewMetadata().withName(PontoonNames.IDENTITY_CONFIGMAP).endMetadata()
        .addToData(PontoonNames.IDENTITY_KEY_CLUSTER_ID, homeId.id())
        .addToData(PontoonNames.IDENTITY_KEY_CLUSTER_NAME, homeId.name()).build()).create();
    link = TcpProxy.to("127.0.0.1", provider.apiServer().port());
    Config c = provider.apiServer().adminConfig();
    c.setMasterUrl(link.httpsUrl());
    foreign = new KubernetesClientBuilder().withConfig(c).build();
  }

  VirtualKubelet startVirtualKubelet() throws Exception {
    VirtualKubeletConfig config = VirtualKubeletConfig.of(homeId, providerId)
        .withTimings(VirtualKubeletConfig.Timings.fast());
    VirtualKubelet vk = new VirtualKubelet(home.client(), foreign, config).start();
    closeables.add(0, vk);
    return vk;
  }

  String nodeName() {
    return PontoonNames.virtualNodeName(providerId.name());
  }

  /** Creates {@code namespace} at home and its DefaultName twin on the provider. */
  String offloadedNamespace(String namespace) {
    home.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
        .endMetadata().build()).create();
    String twin = PontoonNames.defaultTwinNamespace(namespace, homeId.name());
    provider.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(twin)
        .addToLabels(PontoonNames.LABEL_ORIGIN_CLUSTER_ID, homeId.id()).endMetadata().build()).create();
    return twin;
  }

  /** A pod bound to the virtual node, tolerating what Pontoon's webhook would make it tolerate. */
  PodBuilder podOnVirtualNode(String namespace, String name) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).addToLabels("app", "web").endMetadata()
        .withNewSpec()
        .withNodeName(nodeName())
        .addNewToleration().withKey(PontoonNames.VIRTUAL_NODE_TAINT_KEY).withOperator("Exists")
        .withEffect("NoExecute").endToleration()
        .addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists")
        .withEffect("NoExecute").endToleration()
        .addNewToleration().withKey("node.kubernetes.io/not-ready").withOperator("Exists")
        .withEffect("NoExecute").endToleration()
        .addNewContainer().withName("web").withImage("nginx").endContainer()
        .endSpec();
  }

  Pod create(Pod pod) {
    return home.client().pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : closeables) c.close();
    foreign.close();
    link.close();
    provider.close();
    home.close();
  }
}
