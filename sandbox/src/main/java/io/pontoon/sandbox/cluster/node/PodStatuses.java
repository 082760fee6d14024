package io.pontoon.sandbox.cluster.node;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Computes a pod's status from what the kubelet knows, as kubelet's status generation does:
 * phase from the container states and restart policy, the kubelet-owned conditions
 * (PodReadyToStartContainers, Initialized, Ready, ContainersReady), container statuses, IPs and
 * start time. Fields the kubelet does not own (qosClass, PodScheduled, DisruptionTarget, other
 * writers' conditions) are kept from the current status.
 */
final class PodStatuses {
  static final Set<String> KUBELET_CONDITIONS = Set.of("PodReadyToStartContainers", "Initialized", "Ready",
      "ContainersReady");

  private PodStatuses() {}

  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** The phase the containers imply, as kubelet's getPhase computes it. */
  static String phase(PodRecord rec, String restartPolicy) {
    if (rec.terminalPhase != null) return rec.terminalPhase;
    if (!rec.sandboxReady) return "Pending";
    for (ContainerRecord c : rec.init) {
      if (c.succeeded()) continue;
      if (c.exit().isPresent() && restartPolicy.equals("Never")) return "Failed";
      return "Pending";
    }
    int waiting = 0, running = 0, stopped = 0, succeeded = 0;
    for (ContainerRecord c : rec.app) {
      if (c.current == null) waiting++;
      else if (c.running()) running++;
      else {
        stopped++;
        if (c.succeeded() && !willRestart(c, restartPolicy)) succeeded++;
      }
    }
    if (waiting > 0) return "Pending";
    if (stopped == 0) return "Running";
    if (restartPolicy.equals("Always")) return "Running";
    if (stopped == rec.app.size()) {
      if (succeeded == stopped) return "Succeeded";
      if (restartPolicy.equals("Never")) return "Failed";
    }
    return "Running";
  }

  static boolean willRestart(ContainerRecord c, String restartPolicy) {
    return c.exit().map(e -> switch (restartPolicy) {
      case "Always" -> true;
      case "OnFailure" -> e.code() != 0;
      default -> false;
    }).orElse(false);
  }

  static PodStatus build(Pod pod, PodRecord rec, String hostIp, Instant now) {
    PodStatus current = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    String restartPolicy = restartPolicy(pod);
    String phase = phase(rec, restartPolicy);
    boolean initialized = rec.init.stream().allMatch(ContainerRecord::succeeded);
    List<ContainerStatus> init = new ArrayList<>();
    for (ContainerRecord c : rec.init) init.add(containerStatus(pod, rec, c, initialized, restartPolicy, now));
    List<ContainerStatus> app = new ArrayList<>();
    for (ContainerRecord c : rec.app) app.add(containerStatus(pod, rec, c, initialized, restartPolicy, now));

    List<PodCondition> conditions = new ArrayList<>();
    boolean sandboxUp = rec.sandboxReady && rec.terminalPhase == null;
    conditions.add(condition(current, "PodReadyToStartContainers", sandboxUp, null, null, now));
    List<String> incomplete = rec.init.stream().filter(c -> !c.succeeded()).map(c -> c.name).toList();
    conditions.add(condition(current, "Initialized", incomplete.isEmpty(),
        incomplete.isEmpty() ? null : "ContainersNotInitialized",
        incomplete.isEmpty() ? null : "containers with incomplete status: " + list(incomplete), now));
    List<String> unready = app.stream().filter(s -> !Boolean.TRUE.equals(s.getReady())).map(ContainerStatus::getName)
        .toList();
    boolean completed = phase.equals("Succeeded") || phase.equals("Failed");
    String notReadyReason = completed ? "PodCompleted" : "ContainersNotReady";
    String notReadyMessage = completed ? null : "containers with unready status: " + list(unready);
    boolean containersReady = unready.isEmpty() && !completed;
    String gatesMessage = unmetReadinessGates(pod, current);
    boolean ready = containersReady && gatesMessage == null;
    conditions.add(condition(current, "Ready", ready,
        ready ? null : containersReady ? "ReadinessGatesNotReady" : notReadyReason,
        ready ? null : containersReady ? gatesMessage : notReadyMessage, now));
    conditions.add(condition(current, "ContainersReady", containersReady,
        containersReady ? null : notReadyReason, containersReady ? null : notReadyMessage, now));
    PodCondition scheduled = null;
    List<PodCondition> others = new ArrayList<>();
    if (current.getConditions() != null) {
      for (PodCondition c : current.getConditions()) {
        if (KUBELET_CONDITIONS.contains(c.getType())) continue;
        if ("PodScheduled".equals(c.getType())) scheduled = c;
        else others.add(c);
      }
    }
    // bound by nodeName without the scheduler: the kubelet reports it scheduled
    conditions.add(scheduled != null ? scheduled : condition(current, "PodScheduled", true, null, null, now));
    conditions.addAll(others);

    PodStatusBuilder b = new PodStatusBuilder(current)
        .withPhase(phase)
        .withConditions(conditions)
        .withInitContainerStatuses(init)
        .withContainerStatuses(app)
        .withHostIP(hostIp)
        .withHostIPs(new HostIP(hostIp))
        .withStartTime(time(rec.startTime));
    if (rec.podIp != null) b.withPodIP(rec.podIp).withPodIPs(new PodIP(rec.podIp));
    return b.build();
  }

  static String restartPolicy(Pod pod) {
    String p = pod.getSpec().getRestartPolicy();
    return p == null ? "Always" : p;
  }

  private static String list(List<String> names) {
    return "[" + String.join(" ", names) + "]";
  }

  private static String unmetReadinessGates(Pod pod, PodStatus current) {
    List<PodReadinessGate> gates = pod.getSpec().getReadinessGates();
    if (gates == null || gates.isEmpty()) return null;
    List<String> missing = new ArrayList<>();
    for (PodReadinessGate g : gates) {
      boolean ok = current.getConditions() != null && current.getConditions().stream()
          .anyMatch(c -> g.getConditionType().equals(c.getType()) && "True".equals(c.getStatus()));
      if (!ok) missing.add(g.getConditionType());
    }
    if (missing.isEmpty()) return null;
    return missing.stream().map(t -> "corresponding condition of pod readiness gate \"" + t + "\" is not True")
        .collect(Collectors.joining(", ")) + ".";
  }

  /** A condition keeping its lastTransitionTime while its status does not change. */
  private static PodCondition condition(PodStatus current, String type, boolean status, String reason,
      String message, Instant now) {
    String s = status ? "True" : "False";
    String since = time(now);
    if (current.getConditions() != null) {
      for (PodCondition c : current.getConditions()) {
        if (type.equals(c.getType()) && s.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
          since = c.getLastTransitionTime();
        }
      }
    }
    PodCondition c = new PodCondition();
    c.setType(type);
    c.setStatus(s);
    c.setLastTransitionTime(since);
    c.setReason(reason);
    c.setMessage(message);
    return c;
  }

  private static ContainerStatus containerStatus(Pod pod, PodRecord rec, ContainerRecord c, boolean initialized,
      String restartPolicy, Instant now) {
    ContainerStatusBuilder b = new ContainerStatusBuilder()
        .withName(c.name)
        .withImage(c.image)
        .withImageID(c.current == null ? "" : imageId(c.image))
        .withRestartCount(c.restartCount)
        .withStarted(c.init ? null : c.running())
        .withReady(c.init ? c.succeeded() : c.running() && rec.terminalPhase == null);
    if (c.previous != null && c.previous.exit != null) {
      b.withLastState(new ContainerStateBuilder().withTerminated(terminated(c.previous)).build());
    } else {
      b.withLastState(new ContainerState());
    }
    if (c.current == null) {
      String reason = !c.init && !initialized ? "PodInitializing"
          : c.init && rec.init.indexOf(c) > 0 ? "PodInitializing" : "ContainerCreating";
      b.withState(new ContainerStateBuilder().withNewWaiting().withReason(reason).endWaiting().build());
    } else if (c.running()) {
      b.withContainerID(c.current.containerId)
          .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(time(c.current.startedAt))
              .endRunning().build());
    } else if (rec.terminalPhase == null && willRestart(c, restartPolicy) && now.isBefore(c.nextStartAt)) {
      // between a crash and the restart: CrashLoopBackOff, the crash shown as lastState
      b.withLastState(new ContainerStateBuilder().withTerminated(terminated(c.current)).build())
          .withState(new ContainerStateBuilder().withNewWaiting().withReason("CrashLoopBackOff")
              .withMessage("back-off " + c.backoffShown.toSeconds() + "s restarting failed container=" + c.name
                  + " pod=" + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "("
                  + pod.getMetadata().getUid() + ")")
              .endWaiting().build());
    } else {
      b.withContainerID(c.current.containerId)
          .withState(new ContainerStateBuilder().withTerminated(terminated(c.current)).build());
    }
    return b.build();
  }

  private static ContainerStateTerminated terminated(ContainerRecord.Instance i) {
    ContainerRecord.Exit e = i.exit;
    return new ContainerStateTerminatedBuilder()
        .withExitCode(e.code())
        .withReason(e.code() == 0 ? "Completed" : "Error")
        .withStartedAt(time(i.startedAt))
        .withFinishedAt(time(e.at()))
        .withContainerID(i.containerId)
        .build();
  }

  static String imageId(String image) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(image.getBytes(StandardCharsets.UTF_8));
      String repo = image.contains("@") ? image.substring(0, image.indexOf('@'))
          : image.replaceFirst(":[^:/]+$", "");
      return repo + "@sha256:" + HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
