package io.pontoon.sandbox.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated cluster in one process: the sandbox API server, the controllers, the scheduler
 * and the simulated nodes. Components talk to the API server over HTTPS with a fabric8 client,
 * exactly as they would to a real one.
 */
public final class SandboxCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxCluster.class);

  /**
   * JVM options of a process that hosts sandbox clusters. The store keeps every object it is
   * given, so each young collection copies all objects created since the previous one. Under G1's
   * default 200 ms goal the young generation grows until those pauses reach half a second and
   * more, and every answer and watch event waits behind them; a 10 ms goal keeps it small. An
   * object that survives one collection is almost always stored, so it goes to the old generation
   * at once instead of being copied between survivor spaces again and again. ApiServerBenchmark,
   * young pauses p50 / max: 29 / 705 ms with the defaults, 16 / 48 ms with the goal, 12 / 35 ms
   * with both.
   */
  public static final List<String> JVM_OPTIONS = List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=10",
      "-XX:MaxTenuringThreshold=0");

  private final ClusterSpec spec;
  private final SandboxApiServer apiServer;
  private final KubernetesClient client;
  private final List<ClusterComponent> components = new ArrayList<>();
  private final SharedInformers informers;

  private SandboxCluster(ClusterSpec spec, int port) {
    this.spec = spec;
    SandboxApiServer.Options options = SandboxApiServer.Options.defaults(spec.name()).withPort(port)
        .withServiceCidr(spec.serviceCidr());
    if (spec.dir() != null) options = options.withDataDir(spec.dir());
    this.apiServer = SandboxApiServer.start(options);
    apiServer.setDefaultTolerationSeconds(spec.timings().defaultTolerationSeconds());
    this.client = new KubernetesClientBuilder().withConfig(apiServer.adminConfig()).build();
    this.informers = new SharedInformers(client);
  }

  /** Starts the cluster; returns once every component has started. */
  public static SandboxCluster start(ClusterSpec spec) {
    return start(spec, 0);
  }

  public static SandboxCluster start(ClusterSpec spec, int apiServerPort) {
    SandboxCluster c = new SandboxCluster(spec, apiServerPort);
    try {
      c.startComponents();
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void startComponents() {
    informers.start();
    ClusterContext ctx = new ClusterContext(spec, apiServer, client, informers);
    for (ClusterComponent c : ClusterComponents.of(spec)) {
      c.start(ctx);
      components.add(c);
      LOG.debug("cluster={} component={} started", spec.name(), c.name());
    }
  }

  public ClusterSpec spec() {
    return spec;
  }

  public SandboxApiServer apiServer() {
    return apiServer;
  }

  /** An admin client of this cluster, owned by the cluster (do not close it). */
  public KubernetesClient client() {
    return client;
  }

  public List<ClusterComponent> components() {
    return List.copyOf(components);
  }

  public Path writeAdminKubeconfig(Path file) throws java.io.IOException {
    return apiServer.writeAdminKubeconfig(file);
  }

  @Override
  public void close() {
    for (int i = components.size() - 1; i >= 0; i--) {
      try {
        components.get(i).close();
      } catch (RuntimeException e) {
        LOG.warn("cluster={} component={} did not close cleanly: {}", spec.name(), components.get(i).name(),
            e.toString());
      }
    }
    informers.close();
    client.close();
    apiServer.close();
  }
}
