package io.pontoon.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pontoon's own CRDs (generated into manifests/crds) install with {@code kubectl apply -k}, are
 * served, and validate their objects: the sandbox must accept what a real cluster accepts.
 */
@ExtendWith(SandboxExtension.class)
class KubectlPontoonCrdsIT {
  @TempDir Path dir;

  @Test
  void pontoonCrdsInstallAndValidate(SandboxApiServer server) throws Exception {
    Path crds = Path.of("..", "manifests", "crds").toAbsolutePath().normalize();
    assertThat(crds.resolve("kustomization.yaml")).exists();
    Kubectl kubectl = Kubectl.admin(server, dir);

    kubectl.run("apply", "-k", crds.toString()).ok();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(kubectl.run("api-resources", "--api-group=pontoon.io", "-o", "name").ok())
            .contains("foreignclusters.pontoon.io", "shadowpods.pontoon.io", "tunnels.pontoon.io",
                "namespaceoffloadings.pontoon.io", "resourceslices.pontoon.io", "networkconfigs.pontoon.io"));

    Path fc = dir.resolve("fc.yaml");
    Files.writeString(fc, """
        apiVersion: pontoon.io/v1alpha1
        kind: ForeignCluster
        metadata: {name: cluster-2}
        spec:
          clusterID: 3f1c2a9e-8d4b-4c1e-9f6a-2b7d5e8c1a40
          clusterName: cluster-2
          discoveryType: Manual
        """);
    kubectl.run("apply", "-f", fc.toString()).ok();
    assertThat(kubectl.run("get", "foreignclusters", "cluster-2", "-o", "jsonpath={.spec.clusterName}").ok())
        .isEqualTo("cluster-2");

    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, """
        apiVersion: pontoon.io/v1alpha1
        kind: ForeignCluster
        metadata: {name: broken}
        spec:
          clusterID: 3f1c2a9e-8d4b-4c1e-9f6a-2b7d5e8c1a41
          clusterName: cluster-3
          discoveryType: Carrier-Pigeon
        """);
    assertThat(kubectl.run("apply", "-f", bad.toString()).fails())
        .contains("The ForeignCluster \"broken\" is invalid")
        .contains("spec.discoveryType: Unsupported value: \"Carrier-Pigeon\"");
  }
}
