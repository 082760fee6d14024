package io.pontoon.sandbox.cluster.node;

import io.pontoon.api.controller.NodeLease;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kubelet's node registration and heartbeats: the Node object, its Lease in
 * {@code kube-node-lease} renewed every {@code nodeLeaseRenewInterval}, and its status every
 * {@code nodeStatusUpdateFrequency}. Writes re-read on conflict and keep other writers' fields
 * (taints, conditions it does not own).
 */
final class NodeHeartbeat {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);

  private final NodeEnv env;
  private final KubernetesClient client;
  private final ScheduledExecutorService timers;
  private final String ip;
  private final int kubeletPort;
  private final String runtimeVersion;
  private final AtomicLong leaseRenewals = new AtomicLong();
  private volatile String nodeUid;
  private ScheduledFuture<?> leaseTask;
  private ScheduledFuture<?> statusTask;
  /** Held by each beat while it runs, so {@link #stop()} can wait for the one under way. */
  private final ReentrantLock beat = new ReentrantLock();
  /** Whether beats may write; guarded by {@link #beat}. */
  private boolean beating;

  NodeHeartbeat(NodeEnv env, KubernetesClient client, ScheduledExecutorService timers, String ip, int kubeletPort,
      String runtimeVersion) {
    this.env = env;
    this.client = client;
    this.timers = timers;
    this.ip = ip;
    this.kubeletPort = kubeletPort;
    this.runtimeVersion = runtimeVersion;
  }

  /** Creates the Node, or adopts an existing one of that name (a restarted kubelet), and reports status. */
  void register() {
    Node node;
    try {
      node = client.nodes().resource(NodeObjects.node(env)).create();
      LOG.info("node={} podCIDR={} event=registered", env.name(), env.podCidr());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) throw e;
      node = client.nodes().withName(env.name()).edit(n -> {
        Map<String, String> labels = new LinkedHashMap<>(n.getMetadata().getLabels() == null ? Map.of()
            : n.getMetadata().getLabels());
        labels.putAll(NodeObjects.labels(env));
        n.getMetadata().setLabels(labels);
        return n;
      });
      LOG.info("node={} event=reregistered", env.name());
    }
    nodeUid = node.getMetadata().getUid();
    updateStatus();
    renewLease();
  }

  /** Heartbeats from now on, the first at once. */
  synchronized void start() {
    stop();
    beat.lock();
    try {
      beating = true;
    } finally {
      beat.unlock();
    }
    Duration lease = env.spec().timings().nodeLeaseRenewInterval();
    Duration status = env.spec().timings().nodeStatusUpdateFrequency();
    leaseTask = timers.scheduleWithFixedDelay(() -> safely("lease", this::renewLease), 0, lease.toMillis(),
        TimeUnit.MILLISECONDS);
    statusTask = timers.scheduleWithFixedDelay(() -> safely("status", this::updateStatus), 0, status.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * No beat writes once this returns: cancelling the tasks does not stop one already running, so
   * this waits for it, and a beat that starts later finds the heartbeat off.
   */
  synchronized void stop() {
    if (leaseTask != null) leaseTask.cancel(false);
    if (statusTask != null) statusTask.cancel(false);
    leaseTask = null;
    statusTask = null;
    beat.lock();
    try {
      beating = false;
    } finally {
      beat.unlock();
    }
  }

  long leaseRenewals() {
    return leaseRenewals.get();
  }

  private void safely(String what, Runnable r) {
    beat.lock();
    try {
      if (beating) r.run();
    } catch (RuntimeException e) {
      // the next beat tries again, as kubelet does
      LOG.warn("node={} heartbeat={} error=\"{}\"", env.name(), what, e.toString());
    } finally {
      beat.unlock();
    }
  }

  void updateStatus() {
    for (int attempt = 0; attempt < 3; attempt++) {
      Node node = client.nodes().withName(env.name()).get();
      if (node == null) {
        LOG.warn("node={} event=missing action=reregister", env.name());
        register();
        return;
      }
      NodeStatus next = NodeObjects.status(env, node.getStatus(), ip, kubeletPort, runtimeVersion, Instant.now());
      node.setStatus(next);
      try {
        client.nodes().resource(node).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
      }
    }
  }

  void renewLease() {
    NodeLease.renew(client, env.name(), nodeUid);
    leaseRenewals.incrementAndGet();
  }
}
