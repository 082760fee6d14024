package io.pontoon.sandbox.cluster.node;

import io.pontoon.sandbox.cluster.ClusterComponent;
import io.pontoon.sandbox.cluster.ClusterContext;
import io.pontoon.api.controller.ControllerLoop;
import io.pontoon.api.controller.Reconciler.Result;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What all simulated nodes of a cluster share, so a hundred nodes cost a handful of threads: one
 * Vert.x for the kubelet servers, one scheduler for heartbeats and timers, one work queue with
 * per-pod keys ({@code node/namespace/name}) and a small pool of workers, and the directory the
 * nodes keep their files in. Starts before the nodes and closes after them.
 */
public final class NodeHost implements ClusterComponent {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHost.class);

  private final Map<String, Kubelet> kubelets = new ConcurrentHashMap<>();
  private final int workers;
  private Vertx vertx;
  private ScheduledExecutorService timers;
  private ControllerLoop loop;
  private Path dir;
  private boolean ownsDir;
  private String clusterName = "";
  private io.pontoon.sandbox.cluster.dataplane.ClusterNetwork network;

  /** A host sized for {@code nodes} nodes. */
  public NodeHost(int nodes) {
    this.workers = Math.max(4, Math.min(32, 2 * nodes));
  }

  @Override
  public String name() {
    return "node-host";
  }

  @Override
  public void start(ClusterContext context) {
    clusterName = context.spec().name();
    try {
      if (context.spec().dir() != null) {
        dir = Files.createDirectories(context.spec().dir().resolve("nodes"));
      } else {
        dir = Files.createTempDirectory("pontoon-" + clusterName + "-nodes-");
        ownsDir = true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the nodes' directory", e);
    }
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(8));
    AtomicInteger n = new AtomicInteger();
    timers = Executors.newScheduledThreadPool(4, r -> {
      Thread t = new Thread(r, clusterName + "-node-timer-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    });
    if (context.spec().dataplane()) network = startDataplane(context.spec());
    loop = new ControllerLoop(clusterName + "-kubelet", this::reconcile);
    loop.start(workers);
    LOG.info("cluster={} component=node-host workers={} dir={}", clusterName, workers, dir);
  }

  /** The cluster's underlay network; every node of the cluster joins it. */
  private static io.pontoon.sandbox.cluster.dataplane.ClusterNetwork startDataplane(
      io.pontoon.sandbox.cluster.ClusterSpec spec) {
    java.util.List<String> missing = io.pontoon.sandbox.cluster.dataplane.Dataplane.missingRequirements();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("the dataplane cannot run here: " + String.join("; ", missing));
    }
    io.pontoon.sandbox.cluster.dataplane.SandboxId id = spec.sandboxId() != null
        ? new io.pontoon.sandbox.cluster.dataplane.SandboxId(spec.sandboxId())
        : io.pontoon.sandbox.cluster.dataplane.SandboxId.forDirectory(spec.dir().getParent());
    var dataplane = new io.pontoon.sandbox.cluster.dataplane.Dataplane(id,
        io.pontoon.sandbox.cluster.dataplane.DataplaneConfig.defaults());
    return dataplane.createCluster(spec.name(), spec.index(), spec.podCidr());
  }

  /**
   * The runtime of a node: network namespaces and real processes in dataplane mode, else the
   * simulated runtime.
   */
  public ContainerRuntime runtimeFor(NodeEnv env, java.util.concurrent.ScheduledExecutorService timers) {
    if (network == null) return ContainerRuntimes.forNode(env, timers);
    return network.runtime(network.addNode(env.index(), env.name(), env.podCidr().toString()));
  }

  private Result reconcile(String key) throws Exception {
    int slash = key.indexOf('/');
    Kubelet k = kubelets.get(key.substring(0, slash));
    return k == null ? Result.done() : k.reconcile(key.substring(slash + 1));
  }

  void register(String nodeName, Kubelet kubelet) {
    kubelets.put(nodeName, kubelet);
  }

  void unregister(String nodeName) {
    kubelets.remove(nodeName);
  }

  void enqueue(String nodeName, String podKey) {
    loop.enqueue(nodeName + "/" + podKey);
  }

  Vertx vertx() {
    return vertx;
  }

  ScheduledExecutorService timers() {
    return timers;
  }

  Path dir() {
    return dir;
  }

  /** Work waiting in the shared queue. */
  public int queueDepth() {
    return loop == null ? 0 : loop.depth();
  }

  @Override
  public void close() {
    if (loop != null) loop.close();
    if (network != null) network.close();
    if (timers != null) timers.shutdownNow();
    if (vertx != null) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.debug("cluster={} component=node-host event=close error=\"{}\"", clusterName, e.toString());
      }
    }
    if (ownsDir && dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        LOG.debug("cluster={} component=node-host event=cleanup error=\"{}\"", clusterName, e.toString());
      }
    }
  }
}
