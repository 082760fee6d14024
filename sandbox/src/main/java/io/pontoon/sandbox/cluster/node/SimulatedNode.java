package io.pontoon.sandbox.cluster.node;

import io.pontoon.sandbox.cluster.ClusterComponent;
import io.pontoon.sandbox.cluster.ClusterContext;
import java.util.function.BiFunction;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated node: registers its Node, renews its Lease, reports status, serves its kubelet
 * endpoint and runs the pods bound to it. {@link #stop()} partitions it (no heartbeats, no pod
 * work, containers keep running); {@link #start()} resumes and reconciles everything.
 */
public final class SimulatedNode implements ClusterComponent, io.pontoon.sandbox.cluster.StoppableNode {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedNode.class);

  private final NodeHost host;
  private final int index;
  private final String name;
  private final BiFunction<NodeEnv, ScheduledExecutorService, ContainerRuntime> runtimes;
  private NodeEnv env;
  private ContainerRuntime runtime;
  private Kubelet kubelet;
  private KubeletServer server;
  private NodeHeartbeat heartbeat;
  private volatile boolean stopped;

  /** Node {@code index} (1-based) of the cluster, with the runtime {@link ContainerRuntimes} picks. */
  public SimulatedNode(NodeHost host, int index, String name) {
    this(host, index, name, host::runtimeFor);
  }

  /** With a runtime of the caller's choosing (tests). */
  public SimulatedNode(NodeHost host, int index, String name,
      BiFunction<NodeEnv, ScheduledExecutorService, ContainerRuntime> runtimes) {
    this.host = host;
    this.index = index;
    this.name = name;
    this.runtimes = runtimes;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start(ClusterContext context) {
    env = NodeEnv.of(context.spec(), index, host.dir());
    if (!env.name().equals(name)) throw new IllegalArgumentException("node " + index + " is " + env.name());
    runtime = runtimes.apply(env, host.timers());
    String ip = runtime.nodeIp();
    PodIpam ipam = new PodIpam(env.podCidr());
    kubelet = new Kubelet(env, context.client(), runtime, ipam, KubeletConfig.forSpec(context.spec()), ip,
        podKey -> host.enqueue(name, podKey));
    host.register(name, kubelet);
    server = new KubeletServer(host.vertx(), name, kubelet);
    int port = server.listen(context.apiServer().ca(), ip);
    heartbeat = new NodeHeartbeat(env, context.client(), host.timers(), ip, port, runtime.version());
    heartbeat.register();
    kubelet.start();
    heartbeat.start();
    LOG.info("cluster={} node={} podCIDR={} ip={} kubeletPort={} event=started", context.spec().name(), name,
        env.podCidr(), ip, port);
  }

  /** Partitions the node: heartbeats and pod work stop, containers keep running. */
  @Override
  public synchronized void stop() {
    if (stopped || kubelet == null) return;
    stopped = true;
    heartbeat.stop();
    kubelet.pause();
    LOG.info("node={} event=stopped", name);
  }

  /** Ends a {@link #stop()}: heartbeats at once, then every pod is looked at again. */
  @Override
  public synchronized void start() {
    if (!stopped) return;
    stopped = false;
    heartbeat.start();
    kubelet.resume();
    LOG.info("node={} event=resumed", name);
  }

  @Override
  public boolean isStopped() {
    return stopped;
  }

  public NodeEnv env() {
    return env;
  }

  public ContainerRuntime runtime() {
    return runtime;
  }

  /** Status writes so far (to see that a settled node stops writing). */
  public long statusWrites() {
    return kubelet == null ? 0 : kubelet.statusWrites();
  }

  public long leaseRenewals() {
    return heartbeat == null ? 0 : heartbeat.leaseRenewals();
  }

  @Override
  public void close() {
    if (heartbeat != null) heartbeat.stop();
    host.unregister(name);
    if (server != null) server.close();
    if (kubelet != null) kubelet.close();
    if (runtime != null) {
      try {
        runtime.close();
      } catch (RuntimeException e) {
        LOG.warn("node={} runtime=close error=\"{}\"", name, e.toString());
      }
    }
  }
}
