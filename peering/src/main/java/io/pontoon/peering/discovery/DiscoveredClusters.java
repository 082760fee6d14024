package io.pontoon.peering.discovery;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.DiscoveryType;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.ForeignClusterPhase;
import io.pontoon.api.v1alpha1.ForeignClusterSpec;
import io.pontoon.api.v1alpha1.ForeignClusterStatus;
import io.pontoon.discovery.Announcement;
import io.pontoon.discovery.Source;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns discovery events into {@link ForeignCluster} objects (named after the foreign cluster):
 * discovery type DNS or LAN, {@code status.lastSeen}, {@code status.expiresAt}. A discovered
 * cluster that stops announcing is deleted after its TTL unless it is peered (outgoing or
 * incoming enabled, or Authenticated), in which case only its {@value #DISCOVERED} condition turns
 * False with reason DiscoveryExpired. This cluster's own announcement is ignored. Discovery
 * writes only ForeignClusters, never credentials or nodes, and never changes the endpoint or
 * fingerprint of a peered or manually added cluster (a spoofed announcement cannot re-pin it).
 *
 * <p>Thread-safe; calls block on the API server, so run them off event loops.
 */
public final class DiscoveredClusters {
  /** Condition type that says whether the cluster is still announced. */
  public static final String DISCOVERED = "Discovered";
  private static final Logger LOG = LoggerFactory.getLogger(DiscoveredClusters.class);

  private final KubernetesClient client;
  private final ClusterIdentity self;
  private final Clock clock;
  /** Clusters currently announced, by cluster ID. */
  private final Map<String, Sighting> live = new ConcurrentHashMap<>();

  private record Sighting(Announcement announcement, Source source) {}

  public DiscoveredClusters(KubernetesClient client, ClusterIdentity self, Clock clock) {
    this.client = Objects.requireNonNull(client);
    this.self = Objects.requireNonNull(self);
    this.clock = Objects.requireNonNull(clock);
  }

  public void onAppeared(Announcement announcement, Source source) {
    seen(announcement, source);
  }

  public void onUpdated(Announcement announcement, Source source) {
    seen(announcement, source);
  }

  /** The cluster said goodbye or its records expired: forget it unless peered. */
  public synchronized void onGone(Announcement announcement, Source source) {
    if (isSelf(announcement)) return;
    Sighting s = live.get(announcement.clusterId());
    if (s != null && s.source.kind() == source.kind()) live.remove(announcement.clusterId());
    if (live.containsKey(announcement.clusterId())) return; // still announced another way
    ForeignCluster fc = get(announcement.clusterName());
    if (fc != null && announcement.clusterId().equals(fc.getSpec().getClusterID())) {
      stopped(fc, "no longer announced on " + source);
    }
  }

  /**
   * Forgets (or marks, when peered) discovered clusters whose expiry passed and that are not
   * announced now; refreshes lastSeen of those still announced. Call it periodically.
   */
  public synchronized void expire() {
    Instant now = clock.instant();
    for (ForeignCluster fc : client.resources(ForeignCluster.class).list().getItems()) {
      ForeignClusterSpec spec = fc.getSpec();
      if (spec == null || !isDiscovered(spec.getDiscoveryType())) continue;
      Sighting s = live.get(spec.getClusterID());
      Instant expiresAt = parse(fc.getStatus() == null ? null : fc.getStatus().getExpiresAt());
      if (s != null) {
        if (expiresAt == null || !expiresAt.isAfter(now)) write(fc, s); // still announced: move the expiry on
      } else if (expiresAt == null || !expiresAt.isAfter(now)) {
        stopped(fc, "not announced since " + (fc.getStatus() == null ? "-" : fc.getStatus().getLastSeen()));
      }
    }
  }

  private synchronized void seen(Announcement announcement, Source source) {
    if (isSelf(announcement)) {
      LOG.debug("discovery ignoring own announcement source={}", source);
      return;
    }
    live.put(announcement.clusterId(), new Sighting(announcement, source));
    ForeignCluster fc = get(announcement.clusterName());
    if (fc != null && !announcement.clusterId().equals(fc.getSpec().getClusterID())) {
      LOG.warn("discovery skipping announcement cluster={} id={} source={} reason=\"ForeignCluster {} belongs to"
              + " cluster ID {}; two clusters announce the same name\"", announcement.clusterName(),
          announcement.clusterId(), source, fc.getMetadata().getName(), fc.getSpec().getClusterID());
      live.remove(announcement.clusterId());
      return;
    }
    if (fc == null) {
      fc = create(announcement, source);
      if (fc == null) return;
    } else if (!peered(fc) && isDiscovered(fc.getSpec().getDiscoveryType())) {
      fc = updateSpec(fc, announcement, source);
    }
    write(fc, new Sighting(announcement, source));
  }

  private ForeignCluster create(Announcement a, Source source) {
    ForeignCluster fc = new ForeignCluster();
    fc.setMetadata(new ObjectMetaBuilder().withName(a.clusterName())
        .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE).build());
    ForeignClusterSpec spec = new ForeignClusterSpec();
    spec.setClusterID(a.clusterId());
    spec.setClusterName(a.clusterName());
    spec.setPeeringURL(a.peeringUrl());
    spec.setFingerprint(a.fingerprint());
    spec.setDiscoveryType(type(source));
    fc.setSpec(spec);
    try {
      ForeignCluster created = client.resources(ForeignCluster.class).resource(fc).create();
      LOG.info("discovery found cluster={} id={} url={} source={}", a.clusterName(), a.clusterId(), a.peeringUrl(), source);
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) return get(a.clusterName()); // made meanwhile; the next event converges
      LOG.warn("discovery cannot create ForeignCluster cluster={} error=\"{}\"", a.clusterName(),
          e.getCause() == null ? e.getMessage() : e.getMessage() + " " + e.getCause());
      return null;
    }
  }

  private ForeignCluster updateSpec(ForeignCluster fc, Announcement a, Source source) {
    ForeignClusterSpec spec = fc.getSpec();
    if (a.peeringUrl().equals(spec.getPeeringURL()) && a.fingerprint().equals(spec.getFingerprint())
        && spec.getDiscoveryType() == type(source)) {
      return fc;
    }
    return client.resources(ForeignCluster.class).withName(fc.getMetadata().getName()).edit(f -> {
      f.getSpec().setPeeringURL(a.peeringUrl());
      f.getSpec().setFingerprint(a.fingerprint());
      f.getSpec().setDiscoveryType(type(source));
      return f;
    });
  }

  /** Status of a sighting: lastSeen now, expiresAt after the TTL, condition Discovered True. */
  private void write(ForeignCluster fc, Sighting s) {
    Instant now = clock.instant();
    Duration ttl = s.source.ttl().isZero() ? Duration.ofSeconds(1) : s.source.ttl();
    editStatus(fc, st -> {
      st.setLastSeen(Conditions.timestamp(now));
      st.setExpiresAt(Conditions.timestamp(now.plus(ttl)));
      st.setDiscoverySource(s.source.toString());
      if (st.getPhase() == null) st.setPhase(ForeignClusterPhase.Discovered);
      Conditions.set(st.getConditions(), Conditions.of(DISCOVERED, true, PontoonNames.Reasons.SUCCEEDED,
          "announced on " + s.source, fc.getMetadata().getGeneration()), now);
    });
  }

  /** The cluster is no longer announced: delete it, or only mark it when peered. */
  private void stopped(ForeignCluster fc, String why) {
    String name = fc.getMetadata().getName();
    if (!isDiscovered(fc.getSpec().getDiscoveryType()) || peered(fc)) {
      editStatus(fc, st -> Conditions.set(st.getConditions(), Conditions.of(DISCOVERED, false,
          PontoonNames.Reasons.DISCOVERY_EXPIRED, why, fc.getMetadata().getGeneration()), clock.instant()));
      LOG.info("discovery marked expired cluster={} reason=\"{}\"", name, why);
      return;
    }
    try {
      client.resources(ForeignCluster.class).resource(fc).delete();
      LOG.info("discovery forgot cluster={} reason=\"{}\"", name, why);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409) throw e;
    }
  }

  private void editStatus(ForeignCluster fc, java.util.function.Consumer<ForeignClusterStatus> change) {
    try {
      client.resources(ForeignCluster.class).withName(fc.getMetadata().getName()).editStatus(f -> {
        if (f.getStatus() == null) f.setStatus(new ForeignClusterStatus());
        change.accept(f.getStatus());
        return f;
      });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) throw e;
    }
  }

  private ForeignCluster get(String name) {
    return client.resources(ForeignCluster.class).withName(name).get();
  }

  private boolean isSelf(Announcement a) {
    return a.clusterId().equals(self.id());
  }

  /** Peered one way or the other, or authenticated: then discovery never deletes it. */
  static boolean peered(ForeignCluster fc) {
    ForeignClusterSpec spec = fc.getSpec();
    return spec.getOutgoingEnabled() || spec.getIncomingEnabled()
        || (fc.getStatus() != null && Conditions.isTrue(fc.getStatus().getConditions(),
            PontoonNames.ConditionTypes.AUTHENTICATED));
  }

  private static boolean isDiscovered(DiscoveryType t) {
    return t == DiscoveryType.DNS || t == DiscoveryType.LAN;
  }

  private static DiscoveryType type(Source s) {
    return s.kind() == Source.Kind.DNS ? DiscoveryType.DNS : DiscoveryType.LAN;
  }

  private static Instant parse(String ts) {
    if (ts == null) return null;
    try {
      return Instant.parse(ts);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
