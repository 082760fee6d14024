package io.pontoon.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Errors exactly as kubectl prints them for a real cluster. */
@ExtendWith(SandboxExtension.class)
class KubectlErrorsIT {
  @TempDir static Path dir;
  static Kubectl kubectl;

  @BeforeAll
  static void setUp(SandboxApiServer server) {
    kubectl = Kubectl.admin(server, dir);
  }

  @Test
  void notFound() {
    Kubectl.Result r = kubectl.run("get", "pod", "x");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("Error from server (NotFound): pods \"x\" not found\n");
    assertThat(kubectl.run("delete", "deployment", "x").fails())
        .isEqualTo("Error from server (NotFound): deployments.apps \"x\" not found\n");
    // after a 404, kubectl itself looks the namespace up and reports that instead
    assertThat(kubectl.run("get", "configmap", "x", "-n", "nowhere").fails())
        .isEqualTo("Error from server (NotFound): namespaces \"nowhere\" not found\n");
    assertThat(kubectl.run("get", "foos").fails()).isEqualTo("error: the server doesn't have a resource type \"foos\"\n");
  }

  @Test
  void alreadyExists() {
    kubectl.run("create", "configmap", "twice").ok();
    assertThat(kubectl.runWithStdin("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"twice\"}}",
        "create", "-f", "-").fails())
        .isEqualTo("Error from server (AlreadyExists): error when creating \"STDIN\": configmaps \"twice\" already "
            + "exists\n");
    assertThat(kubectl.run("create", "namespace", "default").fails())
        .isEqualTo("Error from server (AlreadyExists): namespaces \"default\" already exists\n");
  }

  @Test
  void invalidWithFieldCauses() {
    assertThat(kubectl.runWithStdin("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: bad}
        spec:
          replicas: -1
          selector: {matchLabels: {app: bad}}
          template:
            metadata: {labels: {app: other}}
            spec: {containers: [{name: c, image: nginx}]}
        """, "create", "-f", "-").fails())
        .startsWith("The Deployment \"bad\" is invalid: \n")
        .contains("* spec.replicas: Invalid value: -1: must be greater than or equal to 0\n")
        .contains("* spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: "
            + "`selector` does not match template `labels`\n");
    assertThat(kubectl.run("create", "configmap", "Bad_Name").fails()).isEqualTo(
        "error: failed to create configmap: ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: "
            + "\"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
            + "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
            + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n");
  }

  @Test
  void conflictOnAStaleResourceVersion() {
    kubectl.run("create", "configmap", "raced", "--from-literal=v=1").ok();
    String stale = kubectl.run("get", "configmap", "raced", "-o", "json").ok();
    kubectl.run("patch", "configmap", "raced", "--type=merge", "-p", "{\"data\":{\"v\":\"2\"}}").ok();
    assertThat(kubectl.runWithStdin(stale, "replace", "-f", "-").fails()).isEqualTo(
        "Error from server (Conflict): error when replacing \"STDIN\": Operation cannot be fulfilled on configmaps "
            + "\"raced\": the object has been modified; please apply your changes to the latest version and try "
            + "again\n");
  }

  @Test
  void serverSideApplyIsRefusedClearly() {
    Kubectl.Result r = kubectl.runWithStdin("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
        + "{\"name\":\"ssa\"},\"data\":{\"a\":\"1\"}}", "apply", "--server-side", "-f", "-");
    assertThat(r.fails()).startsWith("error: Server-side apply not available on the server:")
        .contains("server-side apply (application/apply-patch+yaml) is not supported by this sandbox API server",
            "use client-side apply");
    assertThat(kubectl.run("get", "configmap", "ssa").fails()).contains("not found");
  }

  @Test
  void malformedBodyIsABadRequest() {
    assertThat(kubectl.runWithStdin("{not json", "create", "--raw", "/api/v1/namespaces/default/configmaps", "-f",
        "-").fails()).startsWith("Error from server (BadRequest)");
  }
}
