package io.pontoon.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Writes through kubectl: create, apply, label, annotate, patch, scale, edit. */
@ExtendWith(SandboxExtension.class)
class KubectlWriteIT {
  @TempDir static Path dir;
  static Kubectl kubectl;

  @BeforeAll
  static void setUp(SandboxApiServer server) {
    kubectl = Kubectl.admin(server, dir);
  }

  private static String jsonpath(String resource, String expr) {
    return kubectl.run("get", resource, "-o", "jsonpath=" + expr).ok();
  }

  @Test
  void createFromAMultiDocumentFile() throws Exception {
    Path f = dir.resolve("multi.yaml");
    Files.writeString(f, """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: multi-a}
        data: {k: v}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: multi-b}
        stringData: {password: s3cret}
        """);
    assertThat(kubectl.run("create", "-f", f.toString()).lines())
        .containsExactly("configmap/multi-a created", "secret/multi-b created");
    assertThat(jsonpath("configmap/multi-a", "{.data.k}")).isEqualTo("v");
    // stringData is write-only: stored base64 under data
    assertThat(jsonpath("secret/multi-b", "{.data.password}"))
        .isEqualTo(Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8)));
    assertThat(jsonpath("secret/multi-b", "{.type}")).isEqualTo("Opaque");
  }

  @Test
  void createGenerators() {
    assertThat(kubectl.run("create", "namespace", "gen").ok()).isEqualTo("namespace/gen created\n");
    assertThat(kubectl.run("create", "deployment", "gen-web", "-n", "gen", "--image=nginx:1.27", "--replicas=3",
        "--port=80").ok()).isEqualTo("deployment.apps/gen-web created\n");
    assertThat(kubectl.run("get", "deploy", "gen-web", "-n", "gen", "-o",
        "jsonpath={.spec.replicas} {.spec.selector.matchLabels.app} {.spec.template.spec.containers[0].ports[0]"
            + ".containerPort} {.metadata.generation}").ok()).isEqualTo("3 gen-web 80 1");
    assertThat(kubectl.run("create", "configmap", "gen-cm", "-n", "gen", "--from-literal=a=1").ok())
        .isEqualTo("configmap/gen-cm created\n");
    assertThat(kubectl.run("create", "secret", "generic", "gen-secret", "-n", "gen", "--from-literal=user=admin")
        .ok()).isEqualTo("secret/gen-secret created\n");
    assertThat(kubectl.run("get", "secret", "gen-secret", "-n", "gen", "-o", "jsonpath={.data.user}").ok())
        .isEqualTo("YWRtaW4=");
    assertThat(kubectl.run("create", "serviceaccount", "gen-sa", "-n", "gen").ok())
        .isEqualTo("serviceaccount/gen-sa created\n");
    assertThat(kubectl.run("create", "role", "gen-role", "-n", "gen", "--verb=get,list", "--resource=pods,pods/log")
        .ok()).isEqualTo("role.rbac.authorization.k8s.io/gen-role created\n");
    assertThat(kubectl.run("get", "role", "gen-role", "-n", "gen", "-o",
        "jsonpath={.rules[0].resources} {.rules[0].verbs}").ok()).isEqualTo("[\"pods\",\"pods/log\"] [\"get\",\"list\"]");
    assertThat(kubectl.run("create", "rolebinding", "gen-rb", "-n", "gen", "--role=gen-role",
        "--serviceaccount=gen:gen-sa").ok()).isEqualTo("rolebinding.rbac.authorization.k8s.io/gen-rb created\n");
    String rb = kubectl.run("get", "rolebinding", "gen-rb", "-n", "gen", "-o", "wide").ok();
    assertThat(Kubectl.header(rb)).containsExactly("NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS");
    assertThat(Kubectl.row(rb, 0, "gen-rb").get(1)).isEqualTo("Role/gen-role");
    assertThat(Kubectl.row(rb, 0, "gen-rb")).last().isEqualTo("gen/gen-sa".replace('/', ':'));
    assertThat(kubectl.run("create", "clusterrole", "gen-cr", "--verb=list", "--resource=nodes").ok())
        .isEqualTo("clusterrole.rbac.authorization.k8s.io/gen-cr created\n");
    String roles = kubectl.run("get", "clusterrole", "gen-cr").ok();
    assertThat(Kubectl.header(roles)).containsExactly("NAME", "CREATED AT");
    // generators honour --dry-run=server: validated and admitted, never stored
    assertThat(kubectl.run("create", "configmap", "gen-dry", "-n", "gen", "--dry-run=server").ok())
        .isEqualTo("configmap/gen-dry created (server dry run)\n");
    assertThat(kubectl.run("get", "configmap", "gen-dry", "-n", "gen").fails())
        .contains("Error from server (NotFound): configmaps \"gen-dry\" not found");
  }

  @Test
  void applyTwiceUsesAThreeWayStrategicMergeOnBuiltins() throws Exception {
    Path f = dir.resolve("deploy.yaml");
    Files.writeString(f, """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: shop
          labels: {tier: web, stage: beta}
        spec:
          replicas: 1
          selector: {matchLabels: {app: shop}}
          template:
            metadata: {labels: {app: shop}}
            spec:
              containers:
              - name: main
                image: nginx:1.26
                env: [{name: A, value: "1"}]
        """);
    assertThat(kubectl.run("apply", "-f", f.toString()).ok()).isEqualTo("deployment.apps/shop created\n");
    assertThat(jsonpath("deploy/shop", "{.metadata.annotations}"))
        .contains("kubectl.kubernetes.io/last-applied-configuration");
    assertThat(kubectl.run("apply", "-f", f.toString()).ok()).isEqualTo("deployment.apps/shop unchanged\n");
    // someone else adds an env var and a sidecar: a strategic merge keeps them (lists merge by name)
    kubectl.run("patch", "deploy", "shop", "-p", """
        {"spec":{"template":{"spec":{"containers":[{"name":"main","env":[{"name":"FROM_OPS","value":"x"}]},
          {"name":"sidecar","image":"busybox"}]}}}}""").ok();
    Files.writeString(f, Files.readString(f).replace("nginx:1.26", "nginx:1.27").replace("replicas: 1", "replicas: 2")
        .replace(", stage: beta", "").replace("value: \"1\"}]", "value: \"1\"}, {name: B, value: \"2\"}]"));
    assertThat(kubectl.run("apply", "-f", f.toString()).ok()).isEqualTo("deployment.apps/shop configured\n");
    // the removed label goes (it was in last-applied), out-of-band items stay; with
    // $setElementOrder the server keeps FROM_OPS before A, where the live list had it
    assertThat(kubectl.run("get", "deploy", "shop", "-o", "jsonpath={.spec.replicas} "
        + "{.spec.template.spec.containers[?(@.name==\"main\")].image} "
        + "{.spec.template.spec.containers[?(@.name==\"main\")].env[*].name} "
        + "{.spec.template.spec.containers[*].name} {.metadata.labels} {.metadata.generation}").ok())
        .isEqualTo("2 nginx:1.27 FROM_OPS A B main sidecar {\"tier\":\"web\"} 3");
  }

  @Test
  void labelAndAnnotate() {
    kubectl.run("create", "configmap", "tagged").ok();
    assertThat(kubectl.run("label", "configmap", "tagged", "team=a").ok()).isEqualTo("configmap/tagged labeled\n");
    assertThat(kubectl.run("label", "configmap", "tagged", "team=b").fails())
        .contains("error: 'team' already has a value (a), and --overwrite is false");
    kubectl.run("label", "configmap", "tagged", "team=b", "--overwrite").ok();
    assertThat(kubectl.run("annotate", "configmap", "tagged", "note=hello world").ok())
        .isEqualTo("configmap/tagged annotated\n");
    assertThat(jsonpath("configmap/tagged", "{.metadata.labels.team} {.metadata.annotations.note}"))
        .isEqualTo("b hello world");
    kubectl.run("label", "configmap", "tagged", "team-").ok();
    kubectl.run("annotate", "configmap", "tagged", "note-").ok();
    assertThat(jsonpath("configmap/tagged", "{.metadata.labels}{.metadata.annotations}")).isEmpty();
    assertThat(kubectl.run("label", "configmap", "tagged", "Bad Label=x").fails())
        .contains("The ConfigMap \"tagged\" is invalid: metadata.labels: Invalid value: \"Bad Label\": name part "
            + "must consist of alphanumeric characters");
  }

  @Test
  void patchJsonMergeAndStrategic() {
    kubectl.run("create", "deployment", "patched", "--image=nginx").ok();
    assertThat(kubectl.run("patch", "deploy", "patched", "--type=merge", "-p", "{\"spec\":{\"replicas\":4}}").ok())
        .isEqualTo("deployment.apps/patched patched\n");
    assertThat(kubectl.run("patch", "deploy", "patched", "--type=json", "-p",
        "[{\"op\":\"add\",\"path\":\"/metadata/labels/extra\",\"value\":\"yes\"}]").ok())
        .isEqualTo("deployment.apps/patched patched\n");
    assertThat(kubectl.run("patch", "deploy", "patched", "--type=strategic", "-p",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.27\"}]}}}}").ok())
        .isEqualTo("deployment.apps/patched patched\n");
    assertThat(jsonpath("deploy/patched", "{.spec.replicas} {.metadata.labels.extra} "
        + "{.spec.template.spec.containers[*].image}")).isEqualTo("4 yes nginx:1.27");
    assertThat(kubectl.run("patch", "deploy", "patched", "--type=merge", "-p", "{\"spec\":{\"replicas\":4}}").ok())
        .isEqualTo("deployment.apps/patched patched (no change)\n");
    // a failing JSON patch test operation is a 422 with kube's wording
    assertThat(kubectl.run("patch", "deploy", "patched", "--type=json", "-p",
        "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":9}]").fails())
        .contains("The request is invalid");
  }

  @Test
  void scaleChangesReplicasThroughTheScaleSubresource() {
    kubectl.run("create", "deployment", "scaled", "--image=nginx").ok();
    assertThat(kubectl.run("scale", "deployment", "scaled", "--replicas=5").ok())
        .isEqualTo("deployment.apps/scaled scaled\n");
    assertThat(jsonpath("deploy/scaled", "{.spec.replicas}")).isEqualTo("5");
    assertThat(kubectl.run("scale", "deployment", "scaled", "--current-replicas=2", "--replicas=3").fails())
        .contains("Expected replicas to be 2, was 5");
    assertThat(kubectl.run("get", "--raw", "/apis/apps/v1/namespaces/default/deployments/scaled/scale").ok())
        .contains("\"kind\":\"Scale\"", "\"replicas\":5", "\"selector\":\"app=scaled\"");
  }

  @Test
  void editThroughAnEditorScript() throws Exception {
    kubectl.run("create", "configmap", "edited", "--from-literal=color=blue").ok();
    Path editor = dir.resolve("editor.sh");
    Files.writeString(editor, "#!/bin/sh\nsed -i 's/color: blue/color: green/' \"$1\"\n");
    editor.toFile().setExecutable(true);
    assertThat(kubectl.runWithEnv(Map.of("KUBE_EDITOR", editor.toString()), "edit", "configmap", "edited").ok())
        .isEqualTo("configmap/edited edited\n");
    assertThat(jsonpath("configmap/edited", "{.data.color}")).isEqualTo("green");
    // an edit that changes nothing is cancelled
    Kubectl.Result unchanged = kubectl.runWithEnv(Map.of("KUBE_EDITOR", "true"), "edit", "configmap", "edited");
    assertThat(unchanged.ok()).isEmpty();
    assertThat(unchanged.err()).contains("Edit cancelled, no changes made.");
  }
}
