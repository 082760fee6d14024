package io.pontoon.e2e;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.Crds;
import io.pontoon.api.PontoonNames;
import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Sandbox clusters for end-to-end scenarios, each with Pontoon's CRDs, the pontoon-system
 * namespace, an identity and an admin kubeconfig file; closed in reverse order.
 */
final class Clusters implements AutoCloseable {
  /** One sandbox cluster with its identity and kubeconfig file. */
  record Member(SandboxCluster cluster, ClusterIdentity identity, Path kubeconfig) {
    KubernetesClient client() {
      return cluster.client();
    }
  }

  private final Path dir;
  private final List<Member> members = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  Clusters(Path dir) {
    this.dir = dir;
  }

  Member add(String name, ClusterSpec spec) {
    SandboxCluster cluster = SandboxCluster.start(spec);
    closeables.add(0, cluster);
    ClusterIdentity id = new ClusterIdentity(UUID.randomUUID().toString(), name);
    Crds.install(cluster.client(), Duration.ofSeconds(30));
    cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata()
        .withName(PontoonNames.SYSTEM_NAMESPACE).endMetadata().build()).createOr(c -> c.update());
    cluster.client().configMaps().inNamespace(PontoonNames.SYSTEM_NAMESPACE).resource(new ConfigMapBuilder()
        .withNewMetadata().withName(PontoonNames.IDENTITY_CONFIGMAP).endMetadata()
        .addToData(PontoonNames.IDENTITY_KEY_CLUSTER_ID, id.id())
        .addToData(PontoonNames.IDENTITY_KEY_CLUSTER_NAME, id.name()).build()).create();
    Path kubeconfig;
    try {
      kubeconfig = cluster.writeAdminKubeconfig(Files.createDirectories(dir.resolve(name)).resolve("kubeconfig"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Member m = new Member(cluster, id, kubeconfig);
    members.add(m);
    return m;
  }

  Member add(String name) {
    return add(name, ClusterSpec.defaults(name).withNodes(2).withTimings(ClusterSpec.Timings.fast()));
  }

  /** Closed before the clusters (controllers, processes). */
  <T extends AutoCloseable> T closeLater(T c) {
    closeables.add(0, c);
    return c;
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) first = e;
      }
    }
    if (first != null) throw first;
  }
}
