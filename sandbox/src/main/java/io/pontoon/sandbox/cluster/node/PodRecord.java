package io.pontoon.sandbox.cluster.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.pontoon.sandbox.cluster.node.ContainerRuntime.PodRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The kubelet's state of one pod (one UID), owned by that pod's worker. */
final class PodRecord {
  final PodRef ref;
  /** When the kubelet first saw the pod (status.startTime); containers start {@code containerStartDelay} later. */
  final Instant startTime;
  final List<ContainerRecord> init = new ArrayList<>();
  final List<ContainerRecord> app = new ArrayList<>();
  String podIp;
  /** When the sandbox was made. */
  Instant sandboxAt;
  boolean sandboxReady;
  boolean terminating;
  /** Succeeded or Failed: nothing runs or restarts any more. */
  String terminalPhase;
  /**
   * The last status written, and the resourceVersion of the pod it was computed from: while the
   * cache still shows that version, it has not seen the write, and the next patch is taken from
   * what was written.
   */
  JsonNode statusWritten;
  String statusWrittenFrom;

  PodRecord(PodRef ref, Instant startTime) {
    this.ref = ref;
    this.startTime = startTime;
  }

  Stream<ContainerRecord> all() {
    return Stream.concat(init.stream(), app.stream());
  }

  boolean anyRunning() {
    return all().anyMatch(ContainerRecord::running);
  }

  Optional<ContainerRecord> container(String name) {
    return all().filter(c -> c.name.equals(name)).findFirst();
  }
}
