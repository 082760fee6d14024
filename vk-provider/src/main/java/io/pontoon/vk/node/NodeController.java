package io.pontoon.vk.node;

import io.pontoon.api.controller.NodeLease;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.vk.VirtualKubeletConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node loop: registers the virtual node (or adopts it after a restart, keeping taints and
 * labels others added), renews its Lease, probes the provider and reports status — Ready=False
 * with the reason while the provider cannot be reached, back to True by itself.
 */
public final class NodeController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeController.class);

  private final KubernetesClient home;
  private final VirtualKubeletConfig config;
  private final ProviderHealth health;
  private final ProviderCapacity capacity;
  private final IntSupplier kubeletPort;
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "virtual-node-heartbeat");
    t.setDaemon(true);
    return t;
  });
  private volatile String nodeUid;
  private volatile ProviderCapacity.Offer lastOffer;

  public NodeController(KubernetesClient home, VirtualKubeletConfig config, ProviderHealth health,
      ProviderCapacity capacity, IntSupplier kubeletPort) {
    this.home = home;
    this.config = config;
    this.health = health;
    this.capacity = capacity;
    this.kubeletPort = kubeletPort;
    health.onChange(state -> timers.execute(() -> safely("status", this::updateStatus)));
  }

  /** Registers the node and starts its loops; the provider has been probed once before. */
  public void start() {
    // Registered with its status, as the kubelet does: Ready from the first moment it exists.
    if (!register()) updateStatus();
    renewLease();
    long lease = config.timings().leaseRenew().toMillis();
    long status = config.timings().statusUpdate().toMillis();
    long probe = config.timings().providerProbe().toMillis();
    timers.scheduleWithFixedDelay(() -> safely("lease", this::renewLease), lease, lease, TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(() -> safely("status", this::updateStatus), status, status, TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(() -> safely("probe", health::probe), probe, probe, TimeUnit.MILLISECONDS);
  }

  /** Writes the node's status soon (off the caller's thread), e.g. once the kubelet port is known. */
  public void refreshStatus() {
    timers.execute(() -> safely("status", this::updateStatus));
  }

  private void safely(String what, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      // the next beat tries again, as kubelet does
      LOG.warn("node={} loop={} error=\"{}\"", config.nodeName(), what, e.getMessage());
    }
  }

  /** Creates the node with its status (true), or adopts an existing one (false: status not written). */
  boolean register() {
    Node desired = VirtualNode.node(config);
    ProviderCapacity.Offer offer = currentOffer();
    desired.setStatus(VirtualNode.status(config, null, offer.resources(), offer.source(), health.state(),
        kubeletPort.getAsInt(), Instant.now()));
    Node node;
    try {
      node = home.nodes().resource(desired).create();
      nodeUid = node.getMetadata().getUid();
      LOG.info("event=node-registered node={} provider={}", config.nodeName(), config.foreignClusterName());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) throw e;
      node = home.nodes().withName(config.nodeName()).edit(n -> {
        Map<String, String> labels = new LinkedHashMap<>(n.getMetadata().getLabels() == null ? Map.of()
            : n.getMetadata().getLabels());
        labels.putAll(desired.getMetadata().getLabels());
        n.getMetadata().setLabels(labels);
        List<Taint> taints = new ArrayList<>(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
        if (taints.stream().noneMatch(t -> VirtualNode.taint().getKey().equals(t.getKey()))) {
          taints.add(VirtualNode.taint());
        }
        n.getSpec().setTaints(taints);
        return n;
      });
      LOG.info("event=node-adopted node={}", config.nodeName());
    }
    nodeUid = node.getMetadata().getUid();
    return false;
  }

  /** What the provider offers now when it is reachable, else what it offered last. */
  private ProviderCapacity.Offer currentOffer() {
    if (health.state().reachable()) {
      try {
        lastOffer = capacity.offer();
      } catch (KubernetesClientException e) {
        LOG.debug("event=capacity-unavailable error=\"{}\"", e.getMessage());
      }
    }
    return lastOffer != null ? lastOffer
        : new ProviderCapacity.Offer(Map.of(), "nothing yet (the provider has not been reached)");
  }

  void updateStatus() {
    ProviderHealth.State state = health.state();
    ProviderCapacity.Offer offer = currentOffer();
    for (int attempt = 0; attempt < 3; attempt++) {
      Node node = home.nodes().withName(config.nodeName()).get();
      if (node == null) {
        LOG.warn("event=node-missing node={} action=reregister", config.nodeName());
        register();
        continue;
      }
      NodeStatus next = VirtualNode.status(config, node.getStatus(), offer.resources(), offer.source(), state,
          kubeletPort.getAsInt(), Instant.now());
      node.setStatus(next);
      try {
        home.nodes().resource(node).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
      }
    }
  }

  void renewLease() {
    NodeLease.renew(home, config.nodeName(), nodeUid);
  }

  /** Removes the node (opt-in on shutdown: pods on it are deleted by the home cluster then). */
  public void deleteNode() {
    home.nodes().withName(config.nodeName()).delete();
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }
}
