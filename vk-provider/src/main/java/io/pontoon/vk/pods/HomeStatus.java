package io.pontoon.vk.pods;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The home pod's status from its remote twin's: what the provider reports, with addresses as the
 * home cluster reaches them and the home scheduler's own condition kept.
 */
public final class HomeStatus {
  static final String READY = "Ready";
  static final String CONTAINERS_READY = "ContainersReady";
  static final String POD_SCHEDULED = "PodScheduled";

  private HomeStatus() {}

  /** The status {@code home} should have, given the provider pod's {@code remote} status. */
  public static PodStatus from(Pod home, PodStatus remote, IpRemap remap, String nodeIp) {
    PodStatus current = home.getStatus() == null ? new PodStatus() : home.getStatus();
    PodStatus next = Serialization.clone(remote);
    next.setNominatedNodeName(null);
    next.setQosClass(current.getQosClass() != null ? current.getQosClass() : remote.getQosClass());
    next.setHostIP(nodeIp);
    next.setHostIPs(nodeIp == null ? null : List.of(new HostIP(nodeIp)));
    next.setPodIP(remap.translate(remote.getPodIP()));
    if (remote.getPodIPs() != null) {
      List<PodIP> ips = new ArrayList<>();
      for (PodIP ip : remote.getPodIPs()) ips.add(new PodIP(remap.translate(ip.getIp())));
      next.setPodIPs(ips);
    }
    // PodScheduled belongs to the home scheduler: it bound the pod to the virtual node
    List<PodCondition> conditions = new ArrayList<>();
    PodCondition scheduled = find(current.getConditions(), POD_SCHEDULED);
    if (scheduled != null) conditions.add(scheduled);
    for (PodCondition c : list(remote.getConditions())) {
      if (!POD_SCHEDULED.equals(c.getType())) conditions.add(c);
    }
    if (scheduled == null) {
      PodCondition remoteScheduled = find(remote.getConditions(), POD_SCHEDULED);
      if (remoteScheduled != null) conditions.add(0, remoteScheduled);
    }
    next.setConditions(conditions);
    return next;
  }

  /**
   * {@code current} with Ready and ContainersReady False because the provider cannot be reached:
   * the pod probably still runs there, but this cluster cannot know, so Services stop sending it
   * traffic (as kube's node lifecycle controller does for an unreachable node).
   */
  public static PodStatus unreachable(PodStatus current, String message, Instant now) {
    PodStatus next = Serialization.clone(current == null ? new PodStatus() : current);
    List<PodCondition> conditions = new ArrayList<>(list(next.getConditions()));
    for (String type : List.of(READY, CONTAINERS_READY)) {
      PodCondition c = find(conditions, type);
      if (c == null) continue;
      if (!"False".equals(c.getStatus())) {
        c.setStatus("False");
        c.setLastTransitionTime(now.toString());
      }
      c.setReason("ProviderUnreachable");
      c.setMessage(message);
    }
    next.setConditions(conditions);
    if (next.getContainerStatuses() != null) {
      for (ContainerStatus cs : next.getContainerStatuses()) cs.setReady(false);
    }
    return next;
  }

  /** Pending with a reason, for a pod the provider has not (yet) accepted. */
  public static PodStatus backOff(Pod home, String reason, String message) {
    PodStatus next = Serialization.clone(home.getStatus() == null ? new PodStatus() : home.getStatus());
    next.setReason(reason);
    next.setMessage(message);
    if (next.getPhase() == null) next.setPhase("Pending");
    return next;
  }

  /** Failed for good: a pod that can never run on the provider (as kubelet admission rejects). */
  public static PodStatus rejected(Pod home, String reason, String message) {
    PodStatus next = backOff(home, reason, message);
    next.setPhase("Failed");
    return next;
  }

  static PodCondition find(List<PodCondition> conditions, String type) {
    for (PodCondition c : list(conditions)) {
      if (type.equals(c.getType())) return c;
    }
    return null;
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
