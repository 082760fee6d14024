package io.pontoon.vk.node;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ResourceSlice;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the virtual node offers: the provider's grant (the ResourceSlice in this cluster's tenant
 * namespace there), or, before peering made one, a share of the provider's free resources —
 * allocatable of its real nodes minus the requests of pods running there.
 */
public final class ProviderCapacity {
  /** The resources and where they came from, for the node's condition message. */
  public record Offer(Map<String, Quantity> resources, String source) {}

  static final List<String> RESOURCES = List.of("cpu", "memory", "pods", "ephemeral-storage");

  private final KubernetesClient foreign;
  private final String tenantNamespace;
  private final String consumerClusterId;
  private final int sharingPercentage;
  private static final long PAGE_SIZE = 500;

  public ProviderCapacity(KubernetesClient foreign, String tenantNamespace, String consumerClusterId,
      int sharingPercentage) {
    this.foreign = foreign;
    this.tenantNamespace = tenantNamespace;
    this.consumerClusterId = consumerClusterId;
    this.sharingPercentage = sharingPercentage;
  }

  public Offer offer() {
    try {
      for (ResourceSlice slice : foreign.resources(ResourceSlice.class).inNamespace(tenantNamespace).list().getItems()) {
        if (slice.getSpec() != null && consumerClusterId.equals(slice.getSpec().getConsumerClusterID())
            && slice.getStatus() != null && slice.getStatus().getResources() != null
            && !slice.getStatus().getResources().isEmpty()) {
          return new Offer(new LinkedHashMap<>(slice.getStatus().getResources()),
              "ResourceSlice " + tenantNamespace + "/" + slice.getMetadata().getName());
        }
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 403) throw e;
      // no grant readable: fall back to the provider's free resources
    }
    return new Offer(free(), sharingPercentage + "% of the provider's free resources");
  }

  private Map<String, Quantity> free() {
    Map<String, BigDecimal> total = new LinkedHashMap<>();
    for (Node n : foreign.nodes().list().getItems()) {
      Map<String, String> labels = n.getMetadata().getLabels();
      // the provider's own virtual nodes are other clusters' resources, not its own
      if (labels != null && PontoonNames.TYPE_VIRTUAL_NODE.equals(labels.get(PontoonNames.LABEL_TYPE))) continue;
      if (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) continue;
      if (n.getStatus() == null || n.getStatus().getAllocatable() == null) continue;
      for (String r : RESOURCES) {
        Quantity q = n.getStatus().getAllocatable().get(r);
        if (q != null) total.merge(r, q.getNumericalAmount(), BigDecimal::add);
      }
    }
    // in pages: with thousands of pods on the provider, one list would be tens of MB of heap at once
    String page = null;
    do {
      PodList pods = foreign.pods().inAnyNamespace().withField("status.phase", "Running")
          .list(new ListOptionsBuilder().withLimit(PAGE_SIZE).withContinue(page).build());
      for (Pod p : pods.getItems()) {
        if (p.getSpec() == null) continue;
        total.computeIfPresent("pods", (k, v) -> v.subtract(BigDecimal.ONE));
        for (var c : p.getSpec().getContainers()) {
          if (c.getResources() == null || c.getResources().getRequests() == null) continue;
          for (var e : c.getResources().getRequests().entrySet()) {
            total.computeIfPresent(e.getKey(), (k, v) -> v.subtract(e.getValue().getNumericalAmount()));
          }
        }
      }
      page = pods.getMetadata() == null ? null : pods.getMetadata().getContinue();
    } while (page != null && !page.isEmpty());
    Map<String, Quantity> offer = new LinkedHashMap<>();
    BigDecimal share = BigDecimal.valueOf(sharingPercentage).movePointLeft(2);
    for (var e : total.entrySet()) {
      BigDecimal v = e.getValue().max(BigDecimal.ZERO).multiply(share);
      offer.put(e.getKey(), quantity(e.getKey(), v));
    }
    return offer;
  }

  /** cpu in millicores, pods whole, bytes whole: the forms kubectl shows. */
  static Quantity quantity(String resource, BigDecimal amount) {
    return switch (resource) {
      case "cpu" -> new Quantity(amount.movePointRight(3).setScale(0, RoundingMode.DOWN).toPlainString(), "m");
      case "pods" -> new Quantity(amount.setScale(0, RoundingMode.DOWN).toPlainString());
      default -> new Quantity(amount.setScale(0, RoundingMode.DOWN).toPlainString());
    };
  }
}
