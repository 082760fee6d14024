package io.pontoon.sandbox.cluster.controllers;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.sandbox.cluster.ClusterComponent;
import io.pontoon.sandbox.cluster.ClusterContext;
import io.pontoon.api.controller.ControllerLoop;
import io.pontoon.api.controller.Reconciler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * kube-controller-manager's root-ca-cert-publisher: ConfigMap {@code kube-root-ca.crt} with the
 * cluster CA under {@code ca.crt} in every namespace, put back when deleted or changed. (The
 * {@code default} ServiceAccount comes from the API server's own controllers.)
 */
public final class RootCaPublisher implements ClusterComponent, Reconciler {
  static final String NAME = "kube-root-ca.crt";
  static final String KEY = "ca.crt";
  static final String DESCRIPTION = "kubernetes.io/description";
  static final String DESCRIPTION_TEXT = "Contains a CA bundle that can be used to verify the kube-apiserver when "
      + "using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
      + "guaranteed across distributions of Kubernetes clusters.";

  private KubernetesClient client;
  private String caPem;
  private SharedIndexInformer<Namespace> namespaces;
  private SharedIndexInformer<ConfigMap> configMaps;
  private ControllerLoop loop;

  @Override
  public String name() {
    return "root-ca-cert-publisher";
  }

  @Override
  public void start(ClusterContext context) {
    client = context.client();
    caPem = context.apiServer().ca().certificatePem();
    loop = new ControllerLoop(context.spec().name() + "-" + name(), this);
    namespaces = client.namespaces().runnableInformer(0);
    configMaps = client.configMaps().inAnyNamespace().withField("metadata.name", NAME).runnableInformer(0);
    namespaces.addEventHandler(Informers.handler(n -> loop.enqueue(n.getMetadata().getName()),
        (o, n) -> loop.enqueue(n.getMetadata().getName()), n -> { }));
    configMaps.addEventHandler(Informers.handler(c -> loop.enqueue(c.getMetadata().getNamespace()), (o, n) -> loop.enqueue(n.getMetadata().getNamespace()),
        c -> loop.enqueue(c.getMetadata().getNamespace())));
    Informers.startAndSync(name(), List.of(namespaces, configMaps));
    loop.start(2);
  }

  @Override
  public void close() {
    if (loop != null) loop.close();
    Informers.closeAll(Stream.of(namespaces, configMaps).filter(Objects::nonNull).toList());
  }

  @Override
  public Result reconcile(String namespace) {
    Namespace ns = Informers.get(namespaces, namespace);
    if (ns == null || ns.getMetadata().getDeletionTimestamp() != null
        || ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase())) {
      return Result.done();
    }
    Map<String, String> data = Map.of(KEY, caPem);
    ConfigMap cm = Informers.get(configMaps, Keys.of(namespace, NAME));
    try {
      if (cm == null) {
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
            .withNewMetadata().withName(NAME).withNamespace(namespace)
              .withAnnotations(Map.of(DESCRIPTION, DESCRIPTION_TEXT)).endMetadata()
            .withData(data).build()).create();
        return Result.done();
      }
      Map<String, String> annotations = cm.getMetadata().getAnnotations() == null ? Map.of()
          : cm.getMetadata().getAnnotations();
      if (data.equals(cm.getData()) && annotations.containsKey(DESCRIPTION)) return Result.done();
      ConfigMap next = new ConfigMapBuilder(cm).withData(data).withBinaryData(null).build();
      Map<String, String> ann = new HashMap<>(annotations);
      ann.put(DESCRIPTION, DESCRIPTION_TEXT);
      next.getMetadata().setAnnotations(ann);
      client.configMaps().inNamespace(namespace).resource(next).update();
    } catch (KubernetesClientException e) {
      // already there (the cache will show it), or the namespace is going away
      if (e.getCode() == 409 && cm == null || e.getCode() == 403 || e.getCode() == 404) return Result.done();
      throw e;
    }
    return Result.done();
  }
}
