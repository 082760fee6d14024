package io.pontoon.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Discovery as kubectl reads it: version, api-versions, api-resources. */
@ExtendWith(SandboxExtension.class)
class KubectlDiscoveryIT {
  @TempDir static Path dir;
  static Kubectl kubectl;

  @BeforeAll
  static void setUp(SandboxApiServer server) {
    kubectl = Kubectl.admin(server, dir);
  }

  @Test
  void versionReportsA132ServerWithoutSkewWarning() throws Exception {
    Kubectl.Result r = kubectl.run("version");
    assertThat(r.ok()).containsPattern("(?m)^Client Version: v1\\.32\\.")
        .containsPattern("(?m)^Server Version: v1\\.32\\.0");
    assertThat(r.err()).doesNotContain("WARNING");
    JsonNode json = new ObjectMapper().readTree(kubectl.run("version", "-o", "json").ok());
    assertThat(json.path("serverVersion").path("major").asText()).isEqualTo("1");
    assertThat(json.path("serverVersion").path("minor").asText()).isEqualTo("32");
    assertThat(json.path("serverVersion").path("platform").asText()).isEqualTo("linux/amd64");
  }

  @Test
  void apiVersionsListsCoreAndGroups() {
    List<String> versions = kubectl.run("api-versions").lines();
    assertThat(versions).contains("v1", "apps/v1", "batch/v1", "rbac.authorization.k8s.io/v1",
        "certificates.k8s.io/v1", "apiextensions.k8s.io/v1", "coordination.k8s.io/v1",
        "admissionregistration.k8s.io/v1", "authentication.k8s.io/v1", "authorization.k8s.io/v1");
    assertThat(versions).isSorted();
  }

  @Test
  void apiResourcesPrintsNamesShortNamesScopeAndKind() {
    String out = kubectl.run("api-resources").ok();
    assertThat(Kubectl.header(out)).containsExactly("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND");
    assertThat(Kubectl.row(out, 0, "pods")).containsExactly("pods", "po", "v1", "true", "Pod");
    assertThat(Kubectl.row(out, 0, "nodes")).containsExactly("nodes", "no", "v1", "false", "Node");
    assertThat(Kubectl.row(out, 0, "namespaces")).containsExactly("namespaces", "ns", "v1", "false", "Namespace");
    assertThat(Kubectl.row(out, 0, "deployments")).containsExactly("deployments", "deploy", "apps/v1", "true",
        "Deployment");
    assertThat(Kubectl.row(out, 0, "customresourcedefinitions")).containsExactly("customresourcedefinitions",
        "crd,crds", "apiextensions.k8s.io/v1", "false", "CustomResourceDefinition");
    assertThat(Kubectl.row(out, 0, "certificatesigningrequests")).containsExactly("certificatesigningrequests",
        "csr", "certificates.k8s.io/v1", "false", "CertificateSigningRequest");
    // subresources are not listed
    assertThat(out).doesNotContain("pods/log", "pods/status");
  }

  @Test
  void apiResourcesFiltersByScopeGroupAndVerbs() {
    List<String> clusterScoped = kubectl.run("api-resources", "--namespaced=false", "-o", "name").lines();
    assertThat(clusterScoped).contains("nodes", "namespaces", "clusterroles.rbac.authorization.k8s.io")
        .doesNotContain("pods", "configmaps");
    assertThat(kubectl.run("api-resources", "--api-group=apps", "-o", "name").lines())
        .contains("deployments.apps", "replicasets.apps", "statefulsets.apps", "daemonsets.apps")
        .allMatch(n -> n.endsWith(".apps"));
    String wide = kubectl.run("api-resources", "--api-group=", "-o", "wide").ok();
    assertThat(Kubectl.header(wide)).containsExactly("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND",
        "VERBS", "CATEGORIES");
    assertThat(Kubectl.row(wide, 0, "pods")).contains("create,delete,deletecollection,get,list,patch,update,watch",
        "all");
    // review APIs accept only create
    assertThat(kubectl.run("api-resources", "--verbs=list", "-o", "name").lines())
        .doesNotContain("selfsubjectaccessreviews.authorization.k8s.io", "tokenreviews.authentication.k8s.io");
  }

  @Test
  void rawDiscoveryDocuments() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode api = json.readTree(kubectl.run("get", "--raw", "/api").ok());
    assertThat(api.path("kind").asText()).isEqualTo("APIVersions");
    JsonNode apps = json.readTree(kubectl.run("get", "--raw", "/apis/apps").ok());
    assertThat(apps.path("preferredVersion").path("groupVersion").asText()).isEqualTo("apps/v1");
    assertThat(kubectl.run("get", "--raw", "/healthz").ok()).isEqualTo("ok");
    Kubectl.Result missing = kubectl.run("get", "--raw", "/apis/nope.example.com/v1");
    assertThat(missing.fails()).contains("Error from server (NotFound): the server could not find the requested "
        + "resource");
  }
}
