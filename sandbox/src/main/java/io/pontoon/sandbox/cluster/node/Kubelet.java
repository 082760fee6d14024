package io.pontoon.sandbox.cluster.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.sandbox.cluster.node.ContainerRecord.Exit;
import io.pontoon.sandbox.cluster.node.ContainerRecord.Instance;
import io.pontoon.sandbox.cluster.node.ContainerRuntime.ContainerSpec;
import io.pontoon.sandbox.cluster.node.ContainerRuntime.PodRef;
import io.pontoon.sandbox.cluster.node.ContainerRuntime.RunningContainer;
import io.pontoon.api.client.LeanWrites;
import io.pontoon.api.controller.Reconciler.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod side of one simulated node: watches the pods bound to it ({@code spec.nodeName}),
 * starts their containers through the {@link ContainerRuntime}, applies the restart policy,
 * terminates deleted pods within their grace period, and reports status through
 * {@code pods/status}. Work is keyed per pod ({@code namespace/name}) on the node host's shared
 * queue, so one pod is handled by one worker at a time.
 */
final class Kubelet {
  private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);

  private final NodeEnv env;
  private final KubernetesClient client;
  private final LeanWrites writes;
  private final ContainerRuntime runtime;
  private final PodIpam ipam;
  private final KubeletConfig config;
  private final String hostIp;
  private final Consumer<String> enqueue;
  private final Map<String, PodRecord> records = new ConcurrentHashMap<>();
  /** When the watch first showed a pod not yet worked on; the start delay counts from there. */
  private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
  private final AtomicLong statusWrites = new AtomicLong();
  private volatile boolean paused;
  private volatile SharedIndexInformer<Pod> informer;

  Kubelet(NodeEnv env, KubernetesClient client, ContainerRuntime runtime, PodIpam ipam, KubeletConfig config,
      String hostIp, Consumer<String> enqueue) {
    this.env = env;
    this.client = client;
    this.writes = new LeanWrites(client);
    this.runtime = runtime;
    this.ipam = ipam;
    this.config = config;
    this.hostIp = hostIp;
    this.enqueue = enqueue;
  }

  void start() {
    informer = client.pods().inAnyNamespace().withField("spec.nodeName", env.name())
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            firstSeen.putIfAbsent(key(pod), Instant.now());
            enqueue.accept(key(pod));
          }

          @Override
          public void onUpdate(Pod before, Pod after) {
            enqueue.accept(key(after));
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {
            firstSeen.remove(key(pod));
            enqueue.accept(key(pod));
          }
        }, 0);
  }

  /** Stops acting on pods (a partitioned kubelet); containers keep running. */
  void pause() {
    paused = true;
  }

  /** Acts again, looking at every pod it knows and every pod it runs. */
  void resume() {
    paused = false;
    Set<String> keys = new TreeSet<>(records.keySet());
    SharedIndexInformer<Pod> inf = informer;
    if (inf != null) keys.addAll(inf.getStore().listKeys());
    keys.forEach(enqueue);
  }

  boolean paused() {
    return paused;
  }

  /** Stops everything this kubelet runs, at once. */
  void close() {
    SharedIndexInformer<Pod> inf = informer;
    if (inf != null) inf.close();
    for (PodRecord rec : records.values()) {
      rec.all().filter(ContainerRecord::running).forEach(c -> c.current.handle.stop(Duration.ZERO));
      runtime.stopPodSandbox(rec.ref);
    }
    records.clear();
  }

  List<Pod> pods() {
    SharedIndexInformer<Pod> inf = informer;
    return inf == null ? List.of() : inf.getStore().list();
  }

  Optional<Pod> pod(String namespace, String name) {
    SharedIndexInformer<Pod> inf = informer;
    return inf == null ? Optional.empty() : Optional.ofNullable(inf.getStore().getByKey(namespace + "/" + name));
  }

  Optional<PodRecord> record(String namespace, String name) {
    return Optional.ofNullable(records.get(namespace + "/" + name));
  }

  long statusWrites() {
    return statusWrites.get();
  }

  int podsRunning() {
    return (int) records.values().stream().filter(r -> r.terminalPhase == null).count();
  }

  static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  Path logFile(PodRef pod, String container, int attempt) {
    return env.dir().resolve("pods").resolve(pod.namespace() + "_" + pod.name() + "_" + pod.uid())
        .resolve(container).resolve(attempt + ".log");
  }

  // ---------------------------------------------------------------------------------------------

  Result reconcile(String podKey) throws Exception {
    if (paused) return Result.done();
    SharedIndexInformer<Pod> inf = informer;
    Pod pod = inf == null ? null : inf.getStore().getByKey(podKey);
    PodRecord rec = records.get(podKey);
    if (rec != null && (pod == null || !rec.ref.uid().equals(pod.getMetadata().getUid()))) {
      // deleted from the API (perhaps while this node was stopped) or replaced by a new pod
      LOG.info("node={} pod={} uid={} event=cleanup reason={}", env.name(), podKey, rec.ref.uid(),
          pod == null ? "deleted" : "replaced");
      teardown(rec);
      records.remove(podKey);
      rec = null;
    }
    if (pod == null) return Result.done();
    if (pod.getMetadata().getDeletionTimestamp() != null) return terminate(pod, rec);
    String apiPhase = pod.getStatus() == null ? "" : String.valueOf(pod.getStatus().getPhase());
    if (rec == null && (apiPhase.equals("Succeeded") || apiPhase.equals("Failed"))) return Result.done();
    if (rec == null) {
      rec = newRecord(pod, firstSeen.getOrDefault(podKey, Instant.now()));
      firstSeen.remove(podKey);
      records.put(podKey, rec);
    }
    return sync(pod, rec);
  }

  private PodRecord newRecord(Pod pod, Instant seen) {
    PodRef ref = new PodRef(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
        pod.getMetadata().getUid());
    PodRecord rec = new PodRecord(ref, seen);
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) rec.init.add(new ContainerRecord(c.getName(), image(c), true));
    }
    for (Container c : pod.getSpec().getContainers()) rec.app.add(new ContainerRecord(c.getName(), image(c), false));
    return rec;
  }

  private static String image(Container c) {
    return c.getImage() == null ? "" : c.getImage();
  }

  private Result sync(Pod pod, PodRecord rec) throws Exception {
    Instant now = Instant.now();
    Duration requeue = null;
    String restartPolicy = PodStatuses.restartPolicy(pod);
    if (rec.terminalPhase == null) {
      if (!rec.sandboxReady) {
        // a hostNetwork pod shares the node's address and takes none from the podCIDR
        rec.podIp = Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) ? hostIp : ipam.allocate(rec.ref.uid());
        runtime.startPodSandbox(rec.ref, rec.podIp);
        rec.sandboxReady = true;
        rec.sandboxAt = now;
        LOG.debug("node={} pod={} ip={} event=sandbox", env.name(), key(pod), rec.podIp);
      }
      // counted from when the pod was seen: a kubelet behind on work reports Running at once
      Instant startAt = rec.startTime.plus(config.containerStartDelay());
      if (now.isBefore(startAt)) {
        requeue = Duration.between(now, startAt);
      } else {
        requeue = runContainers(pod, rec, restartPolicy, now);
      }
      String phase = PodStatuses.phase(rec, restartPolicy);
      if (phase.equals("Succeeded") || phase.equals("Failed")) {
        rec.terminalPhase = phase;
        rec.all().filter(ContainerRecord::running).forEach(c -> c.current.handle.stop(Duration.ZERO));
        runtime.stopPodSandbox(rec.ref);
        ipam.release(rec.ref.uid());
        requeue = null;
        LOG.info("node={} pod={} phase={} event=finished", env.name(), key(pod), phase);
      }
    }
    writeStatus(pod, rec);
    return requeue == null ? Result.done() : Result.after(requeue);
  }

  /** Starts what should run now; returns when to look again, if a backoff is pending. */
  private Duration runContainers(Pod pod, PodRecord rec, String restartPolicy, Instant now) {
    Duration requeue = null;
    for (int i = 0; i < rec.init.size(); i++) {
      ContainerRecord c = rec.init.get(i);
      if (c.succeeded()) continue;
      if (c.running()) return null;
      if (c.current == null) {
        start(pod, rec, c, pod.getSpec().getInitContainers().get(i), now);
        return c.succeeded() ? runContainers(pod, rec, restartPolicy, now) : null;
      }
      // an init container failed: Never fails the pod, the others retry it with backoff
      if (restartPolicy.equals("Never")) return null;
      Duration wait = backoff(c, now);
      if (wait != null) return wait;
      start(pod, rec, c, pod.getSpec().getInitContainers().get(i), now);
      return c.succeeded() ? runContainers(pod, rec, restartPolicy, now) : null;
    }
    for (int i = 0; i < rec.app.size(); i++) {
      ContainerRecord c = rec.app.get(i);
      if (c.running()) continue;
      if (c.current != null) {
        if (!PodStatuses.willRestart(c, restartPolicy)) continue;
        Duration wait = backoff(c, now);
        if (wait != null) {
          requeue = requeue == null || wait.compareTo(requeue) < 0 ? wait : requeue;
          continue;
        }
      }
      start(pod, rec, c, pod.getSpec().getContainers().get(i), now);
    }
    return requeue;
  }

  /** Accounts a crash once; returns how long to wait still, or null to restart now. */
  private Duration backoff(ContainerRecord c, Instant now) {
    Instance cur = c.current;
    Exit e = cur.exit;
    if (!cur.accounted) {
      cur.accounted = true;
      if (Duration.between(cur.startedAt, e.at()).compareTo(config.backoffMax().multipliedBy(2)) >= 0) {
        c.backoff = Duration.ZERO; // it ran long enough: forget earlier crashes
      }
      c.backoffShown = c.backoff;
      c.nextStartAt = e.at().plus(c.backoff);
      Duration next = c.backoff.isZero() ? config.backoffBase() : c.backoff.multipliedBy(2);
      c.backoff = next.compareTo(config.backoffMax()) > 0 ? config.backoffMax() : next;
    }
    return now.isBefore(c.nextStartAt) ? Duration.between(now, c.nextStartAt) : null;
  }

  private void start(Pod pod, PodRecord rec, ContainerRecord c, Container spec, Instant now) {
    if (c.current != null) {
      c.previous = c.current;
      c.restartCount++;
    }
    List<String> command = spec.getCommand() == null ? List.of() : spec.getCommand();
    List<String> args = spec.getArgs() == null ? List.of() : spec.getArgs();
    Map<String, String> envVars = new LinkedHashMap<>();
    if (spec.getEnv() != null) {
      for (EnvVar v : spec.getEnv()) if (v.getValue() != null) envVars.put(v.getName(), v.getValue());
    }
    ContainerSpec cs = new ContainerSpec(c.name, command, args, envVars, logFile(rec.ref, c.name, c.restartCount),
        c.image);
    RunningContainer handle = c.init ? runtime.startInitContainer(rec.ref, cs) : runtime.startContainer(rec.ref, cs);
    String id = "sandbox://" + UUID.randomUUID().toString().replace("-", "")
        + UUID.randomUUID().toString().replace("-", "");
    Instance inst = new Instance(handle, id, now, c.restartCount);
    c.current = inst;
    String podKey = rec.ref.namespace() + "/" + rec.ref.name();
    handle.exit().whenComplete((code, error) -> {
      inst.exit = new Exit(code == null ? 128 : code, Instant.now());
      LOG.debug("node={} pod={} container={} exitCode={} event=exited", env.name(), podKey, c.name, inst.exit.code());
      enqueue.accept(podKey);
    });
    LOG.debug("node={} pod={} container={} restartCount={} event=started", env.name(), podKey, c.name,
        c.restartCount);
  }

  /** Graceful deletion: stop containers within the grace period, report, then delete for good. */
  private Result terminate(Pod pod, PodRecord rec) throws Exception {
    if (rec != null && rec.anyRunning()) {
      if (!rec.terminating) {
        rec.terminating = true;
        Long g = pod.getMetadata().getDeletionGracePeriodSeconds();
        if (g == null) g = pod.getSpec().getTerminationGracePeriodSeconds();
        Duration grace = Duration.ofSeconds(g == null ? 30 : Math.max(0, g));
        LOG.info("node={} pod={} gracePeriodSeconds={} event=killing", env.name(), key(pod), grace.toSeconds());
        rec.all().filter(ContainerRecord::running).forEach(c -> c.current.handle.stop(grace));
      }
      return Result.done(); // each exit enqueues the pod again
    }
    if (rec != null) {
      if (rec.terminalPhase == null) {
        boolean allZero = rec.all().allMatch(c -> c.current == null || c.succeeded())
            && rec.app.stream().allMatch(c -> c.current != null);
        rec.terminalPhase = allZero ? "Succeeded" : "Failed";
        runtime.stopPodSandbox(rec.ref);
        ipam.release(rec.ref.uid());
      }
      writeStatus(pod, rec);
    }
    deleteForGood(pod);
    records.remove(key(pod), rec);
    LOG.info("node={} pod={} uid={} event=deleted", env.name(), key(pod), pod.getMetadata().getUid());
    return Result.done();
  }

  private void teardown(PodRecord rec) {
    rec.all().filter(ContainerRecord::running).forEach(c -> c.current.handle.stop(Duration.ZERO));
    runtime.stopPodSandbox(rec.ref);
    ipam.release(rec.ref.uid());
  }

  /**
   * Status through a strategic-merge patch of {@code pods/status} from the status last seen (or
   * last written, while the cache has not caught up with that write), as the kubelet's status
   * manager writes it; a pod replaced under the same name (another UID) or gone is left alone.
   */
  private void writeStatus(Pod pod, PodRecord rec) {
    PodStatus wanted = PodStatuses.build(pod, rec, hostIp, Instant.now());
    String version = pod.getMetadata().getResourceVersion();
    boolean cacheLags = rec.statusWritten != null && version != null && version.equals(rec.statusWrittenFrom);
    // the common case, a pod whose status is what it should be, costs no conversion
    if (!cacheLags && wanted.equals(pod.getStatus())) return;
    var json = client.getKubernetesSerialization();
    JsonNode desired = json.convertValue(wanted, JsonNode.class);
    JsonNode base = cacheLags ? rec.statusWritten : json.convertValue(pod.getStatus(), JsonNode.class);
    Optional<String> patch = StatusPatch.between(rec.ref.uid(), base, desired);
    if (patch.isEmpty()) return;
    try {
      writes.patch(Pod.class, rec.ref.namespace(), rec.ref.name(), "status", PatchType.STRATEGIC_MERGE, patch.get());
      rec.statusWritten = desired;
      rec.statusWrittenFrom = version;
      statusWrites.incrementAndGet();
    } catch (KubernetesClientException e) {
      // 404: gone; 422: the name now belongs to another pod (the UID precondition)
      if (e.getCode() != 404 && e.getCode() != 422) throw e;
    }
  }

  /** The final delete, grace 0 with a UID precondition so a new pod of the same name is safe. */
  private void deleteForGood(Pod pod) {
    String body = "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"gracePeriodSeconds\":0,"
        + "\"preconditions\":{\"uid\":\"" + pod.getMetadata().getUid() + "\"}}";
    try {
      writes.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), body);
    } catch (KubernetesClientException e) {
      // 404: already gone; 409: the name now belongs to another pod
      if (e.getCode() != 404 && e.getCode() != 409) throw e;
    }
  }

  /** For the kubelet server: what {@code /containerLogs} may read. */
  record LogTarget(Path file, boolean stillWriting) {}

  /** The log of a container's current (or previous) instance, or an error text as kubelet phrases it. */
  Object logTarget(String namespace, String podName, String container, boolean previous) {
    PodRecord rec = records.get(namespace + "/" + podName);
    if (rec == null) {
      return pod(namespace, podName).isPresent()
          ? "container \"" + container + "\" in pod \"" + podName + "\" is waiting to start: ContainerCreating"
          : "pod \"" + podName + "\" not found";
    }
    Optional<ContainerRecord> c = rec.container(container);
    if (c.isEmpty()) return "container \"" + container + "\" in pod \"" + podName + "\" not found";
    ContainerRecord cr = c.get();
    if (previous) {
      Instance prev = cr.previous;
      if (prev == null) {
        return "previous terminated container \"" + container + "\" in pod \"" + podName + "\" not found";
      }
      return new LogTarget(logFile(rec.ref, container, prev.attempt), false);
    }
    Instance cur = cr.current;
    if (cur == null) {
      return "container \"" + container + "\" in pod \"" + podName + "\" is waiting to start: "
          + (cr.init || rec.init.stream().allMatch(ContainerRecord::succeeded) ? "ContainerCreating" : "PodInitializing");
    }
    return new LogTarget(logFile(rec.ref, container, cur.attempt), cur.running());
  }

  /** Whether the instance writing {@code file} still runs (for {@code follow}). */
  boolean stillWriting(String namespace, String podName, String container, Path file) {
    Object t = logTarget(namespace, podName, container, false);
    return t instanceof LogTarget lt && lt.file().equals(file) && lt.stillWriting();
  }

  List<String> runningPodKeys() {
    return new ArrayList<>(records.keySet());
  }
}
