package io.pontoon.sandbox.cluster.controllers;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pontoon.sandbox.cluster.ClusterComponent;
import io.pontoon.sandbox.cluster.ClusterContext;
import io.pontoon.api.controller.ControllerLoop;
import io.pontoon.api.controller.Reconciler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's EndpointSlice controller: for every Service with a selector,
 * EndpointSlices (IPv4, at most 100 endpoints each) listing the selected pods that have an IP,
 * with ready/serving/terminating conditions, node name and a reference to the pod, and ports
 * named as the service's with the target port resolved per pod. Pods whose target ports resolve
 * differently land in different slices; a service without endpoints keeps one empty placeholder.
 */
public final class EndpointSliceController implements ClusterComponent, Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointSliceController.class);
  static final String SERVICE_NAME = "kubernetes.io/service-name";
  static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
  static final String CONTROLLER_NAME = "endpointslice-controller.k8s.io";
  static final String HEADLESS = "service.kubernetes.io/headless";
  static final int MAX_ENDPOINTS_PER_SLICE = 100;
  private static final Duration STALE_RETRY = Duration.ofMillis(50);

  private KubernetesClient client;
  private KubernetesSerialization serialization;
  private SharedIndexInformer<Service> services;
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<EndpointSlice> slices;
  private ControllerLoop loop;
  /** Slices this controller wrote, by service: the generation it expects to see, -1 once deleted. */
  private final Map<String, Map<String, Long>> written = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "endpointslice-controller";
  }

  @Override
  public void start(ClusterContext context) {
    client = context.client();
    serialization = client.getKubernetesSerialization();
    loop = new ControllerLoop(context.spec().name() + "-" + name(), this);
    services = client.services().inAnyNamespace().runnableInformer(0);
    pods = context.informers().pods();
    slices = client.discovery().v1().endpointSlices().inAnyNamespace().withLabel(MANAGED_BY, CONTROLLER_NAME)
        .runnableInformer(0);
    services.addEventHandler(Informers.handler(s -> loop.enqueue(Keys.of(s)), (o, n) -> loop.enqueue(Keys.of(n)),
        s -> loop.enqueue(Keys.of(s))));
    pods.addEventHandler(Informers.handler(this::podChanged, (o, n) -> {
      if (Objects.equals(o.getMetadata().getResourceVersion(), n.getMetadata().getResourceVersion())) return;
      podChanged(n);
      if (!Objects.equals(o.getMetadata().getLabels(), n.getMetadata().getLabels())) podChanged(o);
    }, this::podChanged));
    slices.addEventHandler(Informers.handler(this::sliceChanged, (o, n) -> sliceChanged(n), this::sliceChanged));
    Informers.startAndSync(name(), List.of(services, slices));
    loop.start(5);
  }

  @Override
  public void close() {
    if (loop != null) loop.close();
    Informers.closeAll(java.util.stream.Stream.of(services, slices).filter(Objects::nonNull).toList());
  }

  private void podChanged(Pod pod) {
    for (Service s : Informers.inNamespace(services, pod.getMetadata().getNamespace())) {
      if (Selectors.matchesMap(s.getSpec().getSelector(), pod.getMetadata().getLabels())) loop.enqueue(Keys.of(s));
    }
  }

  private void sliceChanged(EndpointSlice slice) {
    String svc = slice.getMetadata().getLabels() == null ? null : slice.getMetadata().getLabels().get(SERVICE_NAME);
    if (svc != null) loop.enqueue(Keys.of(slice.getMetadata().getNamespace(), svc));
  }

  // ---- reconcile --------------------------------------------------------------------------

  @Override
  public Result reconcile(String key) {
    Service svc = Informers.get(services, key);
    if (svc == null) {
      written.remove(key); // the garbage collector removes the slices it owned
      return Result.done();
    }
    if (svc.getSpec().getSelector() == null || svc.getSpec().getSelector().isEmpty()
        || svc.getMetadata().getDeletionTimestamp() != null || "ExternalName".equals(svc.getSpec().getType())) {
      return Result.done();
    }
    if (cacheIsBehind(key)) return Result.after(STALE_RETRY);
    String ns = svc.getMetadata().getNamespace();
    List<Pod> selected = new ArrayList<>(Informers.inNamespace(pods, ns).stream()
        .filter(p -> Selectors.matchesMap(svc.getSpec().getSelector(), p.getMetadata().getLabels())).toList());
    selected.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    Map<List<EndpointPort>, List<Endpoint>> desired = desiredEndpoints(svc, selected);
    List<EndpointSlice> existing = new ArrayList<>();
    for (EndpointSlice s : Informers.inNamespace(slices, ns)) {
      if (!svc.getMetadata().getName().equals(s.getMetadata().getLabels().get(SERVICE_NAME))) continue;
      if (s.getMetadata().getDeletionTimestamp() != null) continue;
      if (ControllerRefs.isControlledBy(s, svc)) existing.add(serialization.clone(s));
      else delete(key, s); // left by an earlier service of the same name
    }
    existing.sort(Comparator.comparing(s -> s.getMetadata().getName()));
    apply(key, svc, SlicePlan.plan(desired, existing, MAX_ENDPOINTS_PER_SLICE));
    return Result.done();
  }

  /** Were our last writes seen by the informer? If not, a decision now could duplicate slices. */
  private boolean cacheIsBehind(String key) {
    Map<String, Long> mine = written.get(key);
    if (mine == null) return false;
    boolean behind = false;
    for (var it = mine.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      EndpointSlice cached = Informers.get(slices, Keys.of(Keys.namespace(key), e.getKey()));
      boolean seen = e.getValue() < 0 ? cached == null
          : cached != null && cached.getMetadata().getGeneration() != null
              && cached.getMetadata().getGeneration() >= e.getValue();
      if (seen) it.remove();
      else behind = true;
    }
    return behind;
  }

  private void apply(String key, Service svc, SlicePlan plan) {
    for (EndpointSlice s : plan.toDelete()) delete(key, s);
    for (EndpointSlice s : plan.toUpdate()) {
      s.getMetadata().setLabels(labels(svc, s.getMetadata().getLabels()));
      EndpointSlice updated = client.discovery().v1().endpointSlices().inNamespace(svc.getMetadata().getNamespace())
          .resource(s).update();
      remember(key, updated);
    }
    for (EndpointSlice s : plan.existing()) {
      Map<String, String> labels = labels(svc, s.getMetadata().getLabels());
      if (plan.toUpdate().contains(s) || plan.toDelete().contains(s) || labels.equals(s.getMetadata().getLabels())) {
        continue;
      }
      s.getMetadata().setLabels(labels);
      remember(key, client.discovery().v1().endpointSlices().inNamespace(svc.getMetadata().getNamespace())
          .resource(s).update());
    }
    for (SlicePlan.NewSlice n : plan.toCreate()) {
      EndpointSlice slice = new EndpointSliceBuilder()
          .withNewMetadata()
            .withGenerateName(svc.getMetadata().getName() + "-")
            .withNamespace(svc.getMetadata().getNamespace())
            .withLabels(labels(svc, Map.of()))
            .withOwnerReferences(ControllerRefs.controllerRef(svc))
          .endMetadata()
          .withAddressType("IPv4")
          .withEndpoints(n.endpoints())
          .withPorts(n.ports())
          .build();
      EndpointSlice created = client.discovery().v1().endpointSlices().inNamespace(svc.getMetadata().getNamespace())
          .resource(slice).create();
      remember(key, created);
      LOG.debug("controller={} service={} createdSlice={} endpoints={}", name(), key, created.getMetadata().getName(),
          n.endpoints().size());
    }
  }

  private void remember(String key, EndpointSlice s) {
    long gen = s.getMetadata().getGeneration() == null ? 0 : s.getMetadata().getGeneration();
    written.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).put(s.getMetadata().getName(), gen);
  }

  private void delete(String key, EndpointSlice s) {
    try {
      client.discovery().v1().endpointSlices().inNamespace(s.getMetadata().getNamespace())
          .withName(s.getMetadata().getName()).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) throw e;
    }
    written.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).put(s.getMetadata().getName(), -1L);
  }

  /** The service's labels, plus the controller's own (which a service label cannot override). */
  private static Map<String, String> labels(Service svc, Map<String, String> current) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (svc.getMetadata().getLabels() != null) labels.putAll(svc.getMetadata().getLabels());
    labels.remove(HEADLESS);
    labels.put(SERVICE_NAME, svc.getMetadata().getName());
    labels.put(MANAGED_BY, CONTROLLER_NAME);
    if ("None".equals(svc.getSpec().getClusterIP())) labels.put(HEADLESS, "");
    return labels;
  }

  // ---- desired state ----------------------------------------------------------------------

  /** Endpoints grouped by the ports they resolve to. */
  static Map<List<EndpointPort>, List<Endpoint>> desiredEndpoints(Service svc, List<Pod> selected) {
    Map<List<EndpointPort>, List<Endpoint>> byPorts = new LinkedHashMap<>();
    for (Pod pod : selected) {
      if (!shouldBeInEndpoints(pod)) continue;
      List<String> addresses = ipv4Addresses(pod);
      if (addresses.isEmpty()) continue;
      byPorts.computeIfAbsent(endpointPorts(svc, pod), k -> new ArrayList<>()).add(endpoint(svc, pod, addresses));
    }
    return byPorts;
  }

  /** Finished pods and pods without an IP are left out; terminating ones stay, not ready. */
  static boolean shouldBeInEndpoints(Pod pod) {
    if (PodConditions.isTerminal(pod)) return false;
    return pod.getStatus() != null && (pod.getStatus().getPodIP() != null && !pod.getStatus().getPodIP().isEmpty()
        || pod.getStatus().getPodIPs() != null && !pod.getStatus().getPodIPs().isEmpty());
  }

  private static List<String> ipv4Addresses(Pod pod) {
    Set<String> ips = new java.util.LinkedHashSet<>();
    if (pod.getStatus().getPodIP() != null && !pod.getStatus().getPodIP().isEmpty()) ips.add(pod.getStatus().getPodIP());
    if (pod.getStatus().getPodIPs() != null) {
      for (PodIP ip : pod.getStatus().getPodIPs()) if (ip.getIp() != null) ips.add(ip.getIp());
    }
    return ips.stream().filter(ip -> ip.indexOf(':') < 0).limit(1).toList();
  }

  static Endpoint endpoint(Service svc, Pod pod, List<String> addresses) {
    boolean serving = PodConditions.isReady(pod);
    boolean terminating = PodConditions.isTerminating(pod);
    boolean publishNotReady = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
    // "ready" is never true for a terminating pod unless the service publishes not-ready addresses
    boolean ready = publishNotReady || serving && !terminating;
    EndpointBuilder b = new EndpointBuilder()
        .withAddresses(addresses)
        .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions()
        .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build());
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (node != null && !node.isEmpty()) b.withNodeName(node);
    String hostname = pod.getSpec() == null ? null : pod.getSpec().getHostname();
    if (hostname != null && !hostname.isEmpty() && svc.getMetadata().getName().equals(pod.getSpec().getSubdomain())) {
      b.withHostname(hostname);
    }
    return b.build();
  }

  static List<EndpointPort> endpointPorts(Service svc, Pod pod) {
    List<EndpointPort> ports = new ArrayList<>();
    if (svc.getSpec().getPorts() == null) return ports;
    for (ServicePort sp : svc.getSpec().getPorts()) {
      Optional<Integer> port = findPort(pod, sp);
      if (port.isEmpty()) continue;
      ports.add(new EndpointPortBuilder()
          .withName(sp.getName() == null ? "" : sp.getName())
          .withPort(port.get())
          .withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol())
          .withAppProtocol(sp.getAppProtocol())
          .build());
    }
    return ports;
  }

  /** podutil.FindPort: a number is used as is; a name is looked up among the containers' ports. */
  static Optional<Integer> findPort(Pod pod, ServicePort sp) {
    IntOrString target = sp.getTargetPort();
    if (target == null) return Optional.ofNullable(sp.getPort());
    if (target.getIntVal() != null) return Optional.of(target.getIntVal());
    String name = target.getStrVal();
    String protocol = sp.getProtocol() == null ? "TCP" : sp.getProtocol();
    if (pod.getSpec() == null) return Optional.empty();
    for (List<Container> list : java.util.Arrays.asList(pod.getSpec().getContainers(), pod.getSpec().getInitContainers())) {
      if (list == null) continue;
      for (Container c : list) {
        if (c.getPorts() == null) continue;
        for (ContainerPort cp : c.getPorts()) {
          String cpProtocol = cp.getProtocol() == null ? "TCP" : cp.getProtocol();
          if (name.equals(cp.getName()) && protocol.equals(cpProtocol)) return Optional.of(cp.getContainerPort());
        }
      }
    }
    return Optional.empty();
  }
}
