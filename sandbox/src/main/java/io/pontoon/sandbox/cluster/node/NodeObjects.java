package io.pontoon.sandbox.cluster.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The Node object a simulated kubelet registers and the status it reports. */
final class NodeObjects {
  static final String KUBELET_VERSION = "v1.32.0";

  private NodeObjects() {}

  static Map<String, String> labels(NodeEnv env) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put("kubernetes.io/hostname", env.name());
    l.put("kubernetes.io/os", "linux");
    l.put("kubernetes.io/arch", "amd64");
    l.put("beta.kubernetes.io/os", "linux");
    l.put("beta.kubernetes.io/arch", "amd64");
    l.put("node-role.kubernetes.io/worker", "");
    return l;
  }

  static Node node(NodeEnv env) {
    return new NodeBuilder()
        .withNewMetadata().withName(env.name()).withLabels(labels(env))
        .addToAnnotations("node.alpha.kubernetes.io/ttl", "0").endMetadata()
        .withNewSpec().withPodCIDR(env.podCidr().toString()).withPodCIDRs(env.podCidr().toString()).endSpec()
        .build();
  }

  static Map<String, Quantity> capacity(NodeEnv env) {
    Map<String, Quantity> c = new LinkedHashMap<>();
    c.put("cpu", new Quantity(env.spec().nodeShape().cpu()));
    c.put("memory", new Quantity(env.spec().nodeShape().memory()));
    c.put("pods", new Quantity(Integer.toString(env.spec().nodeShape().maxPods())));
    return c;
  }

  /** The status to report now: heartbeats renewed, transition times kept while nothing changes. */
  static NodeStatus status(NodeEnv env, NodeStatus current, String ip, int kubeletPort, String runtimeVersion,
      Instant now) {
    List<NodeCondition> conditions = new ArrayList<>();
    conditions.add(condition(current, "MemoryPressure", "False", "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available", now));
    conditions.add(condition(current, "DiskPressure", "False", "KubeletHasNoDiskPressure",
        "kubelet has no disk pressure", now));
    conditions.add(condition(current, "PIDPressure", "False", "KubeletHasSufficientPID",
        "kubelet has sufficient PID available", now));
    conditions.add(condition(current, "Ready", "True", "KubeletReady", "kubelet is posting ready status", now));
    if (current != null && current.getConditions() != null) {
      for (NodeCondition c : current.getConditions()) {
        if (conditions.stream().noneMatch(o -> o.getType().equals(c.getType()))) conditions.add(c);
      }
    }
    NodeSystemInfo info = new NodeSystemInfo();
    String id = UUID.nameUUIDFromBytes((env.spec().name() + "/" + env.name()).getBytes(StandardCharsets.UTF_8))
        .toString();
    info.setMachineID(id.replace("-", ""));
    info.setSystemUUID(id);
    info.setBootID(UUID.nameUUIDFromBytes((id + "/boot").getBytes(StandardCharsets.UTF_8)).toString());
    info.setKernelVersion(System.getProperty("os.version", "unknown"));
    info.setOsImage(OS_IMAGE);
    info.setContainerRuntimeVersion(runtimeVersion);
    info.setKubeletVersion(KUBELET_VERSION);
    info.setKubeProxyVersion("");
    info.setOperatingSystem("linux");
    info.setArchitecture("amd64");
    return new NodeStatusBuilder(current == null ? new NodeStatus() : current)
        .withCapacity(capacity(env))
        .withAllocatable(capacity(env))
        .withConditions(conditions)
        .withAddresses(new NodeAddress(ip, "InternalIP"), new NodeAddress(env.name(), "Hostname"))
        .withNewDaemonEndpoints().withNewKubeletEndpoint(kubeletPort).endDaemonEndpoints()
        .withNodeInfo(info)
        .build();
  }

  private static NodeCondition condition(NodeStatus current, String type, String status, String reason,
      String message, Instant now) {
    String since = PodStatuses.time(now);
    if (current != null && current.getConditions() != null) {
      for (NodeCondition c : current.getConditions()) {
        if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
          since = c.getLastTransitionTime();
        }
      }
    }
    NodeCondition c = new NodeCondition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setLastHeartbeatTime(PodStatuses.time(now));
    c.setLastTransitionTime(since);
    return c;
  }

  private static final String OS_IMAGE = osImage();

  private static String osImage() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"), StandardCharsets.UTF_8)) {
        if (line.startsWith("PRETTY_NAME=")) return line.substring(12).replace("\"", "");
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or unreadable: fall through
    }
    return "Linux";
  }
}
