package io.pontoon.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every object of install/, the NodePort overlay and the instantiated templates passes the API
 * server's own validation ({@code kubectl apply --dry-run=server}, strict field validation), and
 * the install applies for real.
 */
@ExtendWith(SandboxExtension.class)
class InstallManifestsIT {
  @TempDir Path work;

  private Kubectl admin(SandboxApiServer server) throws IOException {
    return Kubectl.of(server.writeAdminKubeconfig(work.resolve("admin.kubeconfig")), work);
  }

  @Test
  void installOverlayAndTemplatesPassServerSideDryRun(SandboxApiServer server) throws IOException {
    Kubectl k = admin(server);
    // Namespaced objects can be dry-run only into a namespace that exists, as with kube-apiserver.
    k.run(Manifests.read(Manifests.INSTALL.resolve("000-namespace.yaml")), "apply", "-f", "-").ok();

    Rendered install = Rendered.kustomize(Manifests.INSTALL, work);
    String out = k.run(install.yaml(), "apply", "--dry-run=server", "--validate=strict", "-f", "-").ok();
    for (HasMetadata o : install.objects()) {
      assertThat(out).as("dry-run output names " + o.getKind() + " " + o.getMetadata().getName())
          .containsPattern("(?i)" + o.getKind() + "[^/ ]*/" + java.util.regex.Pattern.quote(o.getMetadata().getName()) + " ");
    }
    k.run(Rendered.kustomize(Manifests.NODEPORT, work).yaml(), "apply", "--dry-run=server", "--validate=strict", "-f", "-").ok();
    for (String t : java.util.List.of("virtual-kubelet.yaml", "gateway.yaml")) {
      k.run(Manifests.instantiate(t, Manifests.SAMPLE), "apply", "--dry-run=server", "--validate=strict", "-f", "-").ok();
    }

    // dry-run wrote nothing
    try (KubernetesClient c = new KubernetesClientBuilder().withConfig(server.adminConfig()).build()) {
      assertThat(c.apps().deployments().inNamespace("pontoon-system").list().getItems()).isEmpty();
      assertThat(c.rbac().clusterRoles().withName("pontoon-agent").get()).isNull();
    }
  }

  @Test
  void dryRunRejectsAnObjectTheServerWouldRefuse(SandboxApiServer server) throws IOException {
    Kubectl k = admin(server);
    k.run(Manifests.read(Manifests.INSTALL.resolve("000-namespace.yaml")), "apply", "-f", "-").ok();
    // the check above is worth something only if the server really validates: a name that is
    // not a DNS-1123 label and a Deployment whose selector misses its pod labels must fail
    // (unknown fields of built-in kinds are checked in InstallManifestsTest: the sandbox does not)
    String badName = Manifests.read(Manifests.INSTALL.resolve("041-service-webhook.yaml"))
        .replace("name: pontoon-webhook", "name: Pontoon_Webhook");
    assertThat(k.run(badName, "apply", "--dry-run=server", "-f", "-").err()).contains("Invalid value");
    String badSelector = Manifests.read(Manifests.INSTALL.resolve("030-deployment-agent.yaml"))
        .replaceFirst("(?s)(selector:\\s*matchLabels:\\s*app.kubernetes.io/name:) pontoon", "$1 other");
    assertThat(badSelector).isNotEqualTo(Manifests.read(Manifests.INSTALL.resolve("030-deployment-agent.yaml")));
    assertThat(k.run(badSelector, "apply", "--dry-run=server", "-f", "-").err()).contains("does not match template");
  }

  @Test
  void installAppliesWithKubectlApplyK(SandboxApiServer server) throws IOException {
    Kubectl k = admin(server);
    k.run(null, "apply", "-k", Manifests.INSTALL.toString()).ok();
    // a second apply changes nothing and fails on nothing
    String again = k.run(null, "apply", "-k", Manifests.INSTALL.toString()).ok();
    assertThat(again).doesNotContain("created");
    try (KubernetesClient c = new KubernetesClientBuilder().withConfig(server.adminConfig()).build()) {
      assertThat(c.apps().deployments().inNamespace("pontoon-system").withName("pontoon-agent").get()).isNotNull();
      assertThat(c.apiextensions().v1().customResourceDefinitions().withName("shadowpods.pontoon.io").get()).isNotNull();
      assertThat(c.rbac().roleBindings().inNamespace("kube-node-lease").withName("pontoon-agent-node-leases").get()).isNotNull();
    }
  }
}
