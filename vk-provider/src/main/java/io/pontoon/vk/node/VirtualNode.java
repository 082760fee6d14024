package io.pontoon.vk.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.pontoon.api.PontoonNames;
import io.pontoon.vk.VirtualKubeletConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The virtual node's object: labels, taint, addresses, capacity and conditions. */
public final class VirtualNode {
  static final String KUBELET_VERSION = "v1.32.0-pontoon";

  private VirtualNode() {}

  public static Map<String, String> labels(VirtualKubeletConfig config) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_VIRTUAL_NODE);
    labels.put(PontoonNames.LABEL_REMOTE_CLUSTER_ID, config.foreignClusterId());
    labels.put(PontoonNames.LABEL_NODE_TYPE, PontoonNames.NODE_TYPE_VIRTUAL_KUBELET);
    labels.put(PontoonNames.LABEL_NODE_ROLE, PontoonNames.NODE_ROLE_AGENT);
    labels.put("kubernetes.io/hostname", config.nodeName());
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    return labels;
  }

  public static Taint taint() {
    return new TaintBuilder().withKey(PontoonNames.VIRTUAL_NODE_TAINT_KEY)
        .withValue(PontoonNames.VIRTUAL_NODE_TAINT_VALUE)
        .withEffect(PontoonNames.VIRTUAL_NODE_TAINT_EFFECT).build();
  }

  public static Node node(VirtualKubeletConfig config) {
    return new NodeBuilder()
        .withNewMetadata().withName(config.nodeName()).withLabels(labels(config))
        .addToAnnotations(PontoonNames.ANNOTATION_ORIGIN_CLUSTER_NAME, config.foreignClusterName())
        .endMetadata()
        .withNewSpec().withTaints(taint()).endSpec()
        .build();
  }

  /**
   * The node's status: {@code offer} as capacity and allocatable, Ready from the provider's
   * health, the pressure conditions False (the provider schedules within its own nodes).
   */
  public static NodeStatus status(VirtualKubeletConfig config, NodeStatus current, Map<String, Quantity> offer,
      String offerSource, ProviderHealth.State health, int kubeletPort, Instant now) {
    String ts = now.toString();
    List<NodeCondition> conditions = new ArrayList<>();
    conditions.add(condition(current, "Ready", health.reachable() ? "True" : "False",
        health.reachable() ? "ProviderReady" : PontoonNames.Reasons.API_SERVER_UNREACHABLE,
        health.reachable() ? "provider " + config.foreignClusterName() + " is reachable; offering " + offerSource
            : health.message(), ts));
    for (String type : List.of("MemoryPressure", "DiskPressure", "PIDPressure")) {
      conditions.add(condition(current, type, "False", "ProviderHasSufficient" + type.replace("Pressure", ""),
          "the provider schedules pods within its own nodes' capacity", ts));
    }
    conditions.add(condition(current, "NetworkUnavailable", "False", "PontoonGateway",
        "pod traffic to the provider goes through Pontoon's gateway", ts));
    return new NodeStatusBuilder()
        .withCapacity(offer)
        .withAllocatable(offer)
        .withConditions(conditions)
        .withAddresses(new NodeAddress(config.nodeIp(), "InternalIP"), new NodeAddress(config.nodeName(), "Hostname"))
        .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubeletPort).endKubeletEndpoint().endDaemonEndpoints()
        .withNewNodeInfo()
        .withArchitecture("amd64").withOperatingSystem("linux")
        .withKubeletVersion(KUBELET_VERSION).withKubeProxyVersion(KUBELET_VERSION)
        .withContainerRuntimeVersion("pontoon://" + config.foreignClusterName())
        .withKernelVersion("").withOsImage("Pontoon virtual node for " + config.foreignClusterName())
        .withMachineID(config.foreignClusterId()).withSystemUUID(config.foreignClusterId())
        .withBootID(config.foreignClusterId())
        .endNodeInfo()
        .build();
  }

  /** A condition whose lastTransitionTime moves only when its status does; heartbeat always. */
  private static NodeCondition condition(NodeStatus current, String type, String status, String reason,
      String message, String now) {
    String transition = now;
    if (current != null && current.getConditions() != null) {
      for (NodeCondition c : current.getConditions()) {
        if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
          transition = c.getLastTransitionTime();
        }
      }
    }
    return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastHeartbeatTime(now).withLastTransitionTime(transition).build();
  }
}
