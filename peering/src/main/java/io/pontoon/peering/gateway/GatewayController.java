package io.pontoon.peering.gateway;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.controller.ControllerLoop;
import io.pontoon.api.controller.Reconciler;
import io.pontoon.api.v1alpha1.Tunnel;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway per local Tunnel: informer on the Tunnels the agent writes → work queue keyed by
 * the peer's cluster ID → {@link GatewayLauncher#ensureRunning} while the peer has a Tunnel,
 * {@link GatewayLauncher#stop} (process, then dataplane) once it has none. At start the peers a
 * previous agent left gateways or dataplanes for are queued too, so a Tunnel deleted while no
 * agent ran is cleaned up. Unpeer only deletes the Tunnel; it never waits for a gateway.
 */
public final class GatewayController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayController.class);

  private final KubernetesClient client;
  private final GatewayLauncher launcher;
  private final ControllerLoop loop;
  private SharedIndexInformer<Tunnel> informer;

  public GatewayController(KubernetesClient client, GatewayLauncher launcher) {
    this.client = Objects.requireNonNull(client, "client");
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    this.loop = new ControllerLoop("gateways", this::reconcile);
  }

  public void start() {
    loop.start(1);
    informer = client.resources(Tunnel.class).inAnyNamespace()
        .withLabel(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Tunnel t) {
            enqueue(t);
          }

          @Override
          public void onUpdate(Tunnel before, Tunnel after) {
            // Status writes (the gateway's, every probe) change nothing here.
            if (!Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration())
                || after.getMetadata().getDeletionTimestamp() != null) {
              enqueue(after);
            }
          }

          @Override
          public void onDelete(Tunnel t, boolean unknown) {
            enqueue(t);
          }
        }, 0);
    launcher.leftovers().forEach(loop::enqueue);
  }

  private void enqueue(Tunnel t) {
    if (t.getSpec() != null && t.getSpec().getRemoteClusterID() != null) loop.enqueue(t.getSpec().getRemoteClusterID());
  }

  Reconciler.Result reconcile(String peerId) {
    Optional<Tunnel> tunnel = informer.getStore().list().stream()
        .filter(t -> t.getSpec() != null && peerId.equals(t.getSpec().getRemoteClusterID()))
        .filter(t -> t.getMetadata().getDeletionTimestamp() == null)
        .min(Comparator.comparing(t -> t.getMetadata().getNamespace() + "/" + t.getMetadata().getName()));
    if (tunnel.isPresent()) {
      Tunnel t = tunnel.get();
      launcher.ensureRunning(new GatewayLauncher.Gateway(peerId, t.getMetadata().getName(), t.getSpec().getListenPort()));
    } else {
      LOG.info("event=tunnel-gone peerID={} action=stop-gateway-and-remove-dataplane", peerId);
      try {
        launcher.stop(peerId);
      } catch (RuntimeException e) {
        LOG.warn("event=gateway-removal-failed peerID={} error=\"{}\" action=retry", peerId, e.getMessage());
        throw e;
      }
    }
    return Reconciler.Result.done();
  }

  public int queueDepth() {
    return loop.depth();
  }

  /** Stops watching; the launcher is closed by its owner. */
  @Override
  public void close() {
    loop.close();
    if (informer != null) informer.close();
  }
}
