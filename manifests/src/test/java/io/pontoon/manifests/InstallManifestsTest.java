package io.pontoon.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code kubectl kustomize} makes of install/ and the overlays, checked without a cluster. */
class InstallManifestsTest {
  /** The ConfigMap keys the user must add: no default is right for any cluster. */
  static final Set<String> REQUIRED_SETTINGS = Set.of("clusterName", "advertiseAddress", "apiServerURL");

  @TempDir Path work;

  @Test
  void everyFileOfInstallIsInItsKustomization() throws IOException {
    String kustomization = Manifests.read(Manifests.INSTALL.resolve("kustomization.yaml"));
    try (Stream<Path> files = Files.list(Manifests.INSTALL)) {
      List<String> yaml = files.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d{3}-.*\\.yaml")).sorted().toList();
      assertThat(yaml).isNotEmpty();
      assertThat(yaml).allSatisfy(f -> assertThat(kustomization).as("kustomization.yaml lists " + f).contains("- " + f));
    }
    assertThat(kustomization).contains("- ../crds");
  }

  @Test
  void installRendersCrdsRbacAgentAndServices() {
    Rendered r = Rendered.kustomize(Manifests.INSTALL, work);
    assertThat(r.all(CustomResourceDefinition.class)).extracting(c -> c.getMetadata().getName())
        .containsExactlyInAnyOrder("foreignclusters.pontoon.io", "namespaceoffloadings.pontoon.io",
            "networkconfigs.pontoon.io", "resourceslices.pontoon.io", "shadowpods.pontoon.io",
            "tunnels.pontoon.io", "twinnamespaces.pontoon.io");
    assertThat(r.objects()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).contains(
        "Namespace/pontoon-system", "ServiceAccount/pontoon-agent", "ClusterRole/pontoon-agent",
        "ClusterRoleBinding/pontoon-agent", "ClusterRole/pontoon-agent-crds", "ClusterRoleBinding/pontoon-agent-crds",
        "Role/pontoon-agent-node-leases", "RoleBinding/pontoon-agent-node-leases", "ConfigMap/pontoon-agent-config",
        "Deployment/pontoon-agent", "Service/pontoon-peering", "Service/pontoon-webhook");
    for (HasMetadata o : r.objects()) {
      String ns = o.getMetadata().getNamespace();
      if (ns != null) assertThat(ns).as(o.getKind() + " " + o.getMetadata().getName()).isIn("pontoon-system", "kube-node-lease");
    }
    assertThat(r.one(ServiceAccount.class, "pontoon-agent").getMetadata().getNamespace()).isEqualTo("pontoon-system");
  }

  @Test
  void everyFieldIsKnownToTheKubernetesSchema() {
    List<Rendered> all = new java.util.ArrayList<>(List.of(Rendered.kustomize(Manifests.INSTALL, work),
        Rendered.kustomize(Manifests.NODEPORT, work)));
    for (String t : List.of("virtual-kubelet.yaml", "gateway.yaml")) {
      all.add(Rendered.parse(Manifests.instantiate(t, Manifests.SAMPLE)));
    }
    for (Rendered r : all) {
      for (HasMetadata o : r.objects()) {
        assertThat(UnknownFields.of(o)).as(o.getKind() + " " + o.getMetadata().getName()).isEmpty();
      }
    }
    // the check catches a typo
    String typo = Manifests.read(Manifests.INSTALL.resolve("041-service-webhook.yaml"))
        .replace("targetPort: webhook", "targetPort: webhook\n    targetPorts: webhook");
    assertThat(UnknownFields.of(Rendered.parse(typo).objects().get(0))).containsExactly("spec.ports[0].[targetPorts]");
  }

  @Test
  void agentDeploymentIsLockedDownAndWiredToItsConfig() {
    Rendered r = Rendered.kustomize(Manifests.INSTALL, work);
    Deployment d = r.one(Deployment.class, "pontoon-agent");
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(pod.getServiceAccountName()).isEqualTo("pontoon-agent");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("ghcr.io/pontoon/pontoon:0.1.0");
    assertThat(c.getArgs().get(0)).isEqualTo("agent");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKey("memory");
    assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));

    // every $(VAR) in the args is defined, and every ConfigMap key it reads exists or is a
    // documented required setting (missing ones keep the pod from starting, which is intended)
    Set<String> env = c.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
    for (String arg : c.getArgs()) {
      var m = java.util.regex.Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(arg);
      while (m.find()) assertThat(env).as("env var of " + arg).contains(m.group(1));
    }
    ConfigMap cm = r.one(ConfigMap.class, "pontoon-agent-config");
    for (EnvVar e : c.getEnv()) {
      if (e.getValueFrom() == null || e.getValueFrom().getConfigMapKeyRef() == null) continue;
      var ref = e.getValueFrom().getConfigMapKeyRef();
      assertThat(ref.getName()).isEqualTo("pontoon-agent-config");
      assertThat(cm.getData().containsKey(ref.getKey()) || REQUIRED_SETTINGS.contains(ref.getKey()))
          .as("key " + ref.getKey() + " is in the ConfigMap or a documented required setting").isTrue();
    }
    assertThat(cm.getData()).doesNotContainKeys(REQUIRED_SETTINGS.toArray(String[]::new));
    String cmFile = Manifests.read(Manifests.INSTALL.resolve("029-configmap-agent-config.yaml"));
    assertThat(REQUIRED_SETTINGS).allSatisfy(k -> assertThat(cmFile).contains("#   " + k));

    // the Services reach the agent's named ports
    Set<String> ports = c.getPorts().stream().map(p -> p.getName()).collect(Collectors.toSet());
    for (Service s : r.all(Service.class)) {
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(s.getSpec().getSelector());
      s.getSpec().getPorts().forEach(p -> assertThat(ports).contains(p.getTargetPort().getStrVal()));
    }
    assertThat(r.one(Service.class, "pontoon-peering").getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(r.one(Service.class, "pontoon-peering").getSpec().getPorts().get(0).getPort()).isEqualTo(8443);
  }

  @Test
  void nodePortOverlayChangesOnlyThePeeringService() {
    Rendered base = Rendered.kustomize(Manifests.INSTALL, work);
    Rendered overlay = Rendered.kustomize(Manifests.NODEPORT, work);
    Service peering = overlay.one(Service.class, "pontoon-peering");
    assertThat(peering.getSpec().getType()).isEqualTo("NodePort");
    assertThat(peering.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30443);
    assertThat(overlay.objects()).hasSameSizeAs(base.objects());
  }

  @Test
  void templatesHaveOnlyDocumentedPlaceholders() {
    String readme = Manifests.read(Manifests.TEMPLATES.resolve("README.md"));
    for (String t : List.of("virtual-kubelet.yaml", "gateway.yaml")) {
      Set<String> names = Manifests.placeholders(t);
      assertThat(names).as(t).isNotEmpty();
      assertThat(names).allSatisfy(n -> assertThat(readme).as("README documents ${" + n + "}").contains("`${" + n + "}`"));
      String yaml = Manifests.instantiate(t, Manifests.SAMPLE);
      assertThat(yaml).doesNotContain("${");
      assertThat(Rendered.parse(yaml).all(Deployment.class)).hasSize(1);
    }
    Rendered gw = Rendered.parse(Manifests.instantiate("gateway.yaml", Manifests.SAMPLE));
    Container c = gw.all(Deployment.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    Service udp = gw.all(Service.class).get(0);
    assertThat(udp.getSpec().getPorts().get(0).getProtocol()).isEqualTo("UDP");
    assertThat(udp.getSpec().getPorts().get(0).getPort()).isEqualTo(51820);
  }
}
