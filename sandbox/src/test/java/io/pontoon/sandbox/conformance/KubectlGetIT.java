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

/** {@code kubectl get}: server-side tables, output formats, selectors, all namespaces, paging. */
@ExtendWith(SandboxExtension.class)
class KubectlGetIT {
  @TempDir static Path dir;
  static Kubectl kubectl;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void setUp(SandboxApiServer server) {
    kubectl = Kubectl.admin(server, dir);
    kubectl.runWithStdin("""
        apiVersion: v1
        kind: Node
        metadata:
          name: node-a
          labels: {node-role.kubernetes.io/control-plane: "", disk: ssd}
        """, "create", "-f", "-").ok();
    kubectl.run("patch", "node", "node-a", "--subresource=status", "--type=merge", "-p", """
        {"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"ok"}],
         "addresses":[{"type":"InternalIP","address":"10.1.0.7"},{"type":"Hostname","address":"node-a"}],
         "nodeInfo":{"kubeletVersion":"v1.32.0","osImage":"Debian GNU/Linux 12 (bookworm)",
           "kernelVersion":"6.1.0","containerRuntimeVersion":"containerd://1.7.0","architecture":"amd64",
           "operatingSystem":"linux","bootID":"","kernelVersion":"6.1.0","kubeProxyVersion":"","machineID":"",
           "systemUUID":""}}}""").ok();
    kubectl.run("create", "namespace", "shop").ok();
    for (String[] p : new String[][] {{"web-1", "web", "default"}, {"web-2", "web", "default"},
        {"db-1", "db", "default"}, {"cart-1", "web", "shop"}}) {
      kubectl.runWithStdin("""
          apiVersion: v1
          kind: Pod
          metadata: {name: %s, namespace: %s, labels: {app: %s}}
          spec:
            containers: [{name: main, image: nginx:1.27}]
          """.formatted(p[0], p[2], p[1]), "create", "-f", "-").ok();
    }
    // web-1 runs on node-a: bound like the scheduler, status written like a kubelet
    kubectl.run("patch", "pod", "web-1", "--type=merge", "-p", "{\"spec\":{\"nodeName\":\"node-a\"}}").fails();
    kubectl.runWithStdin("""
        {"apiVersion":"v1","kind":"Binding","metadata":{"name":"web-1"},"target":{"kind":"Node","name":"node-a"}}
        """, "create", "--raw", "/api/v1/namespaces/default/pods/web-1/binding", "-f", "-").ok();
    kubectl.run("patch", "pod", "web-1", "--subresource=status", "--type=merge", "-p", """
        {"status":{"phase":"Running","podIP":"10.244.0.5","podIPs":[{"ip":"10.244.0.5"}],
         "conditions":[{"type":"Ready","status":"True"}],
         "containerStatuses":[{"name":"main","image":"nginx:1.27","imageID":"","ready":true,"restartCount":2,
           "state":{"running":{"startedAt":"2026-01-01T00:00:00Z"}}}]}}""").ok();
  }

  @Test
  void namespacesTable() {
    String out = kubectl.run("get", "namespaces").ok();
    assertThat(Kubectl.header(out)).containsExactly("NAME", "STATUS", "AGE");
    assertThat(Kubectl.row(out, 0, "default").subList(0, 2)).containsExactly("default", "Active");
    assertThat(Kubectl.row(out, 0, "kube-system").subList(0, 2)).containsExactly("kube-system", "Active");
    assertThat(Kubectl.row(out, 0, "shop").subList(0, 2)).containsExactly("shop", "Active");
  }

  @Test
  void podsTableAndWide() {
    String out = kubectl.run("get", "pods").ok();
    assertThat(Kubectl.header(out)).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
    List<String> web1 = Kubectl.row(out, 0, "web-1");
    assertThat(web1.subList(0, 4)).containsExactly("web-1", "1/1", "Running", "2");
    assertThat(web1.get(4)).matches("\\d+s");
    assertThat(Kubectl.row(out, 0, "db-1").subList(0, 4)).containsExactly("db-1", "0/1", "Pending", "0");
    assertThat(out).doesNotContain("cart-1");

    String wide = kubectl.run("get", "pods", "-o", "wide").ok();
    assertThat(Kubectl.header(wide)).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE",
        "NOMINATED NODE", "READINESS GATES");
    assertThat(Kubectl.row(wide, 0, "web-1").subList(5, 9)).containsExactly("10.244.0.5", "node-a", "<none>",
        "<none>");
    assertThat(Kubectl.row(wide, 0, "db-1").subList(5, 9)).containsExactly("<none>", "<none>", "<none>", "<none>");
  }

  @Test
  void singleObjectAndNoHeaders() {
    String out = kubectl.run("get", "pod", "web-1", "--no-headers").ok();
    assertThat(Kubectl.columns(out).subList(0, 3)).containsExactly("web-1", "1/1", "Running");
    assertThat(kubectl.run("get", "pods", "-n", "kube-system").ok()).isEmpty();
    assertThat(kubectl.run("get", "pods", "-n", "kube-system").err().strip())
        .isEqualTo("No resources found in kube-system namespace.");
  }

  @Test
  void nodesTableAndWide() {
    String out = kubectl.run("get", "nodes").ok();
    assertThat(Kubectl.header(out)).containsExactly("NAME", "STATUS", "ROLES", "AGE", "VERSION");
    List<String> row = Kubectl.row(out, 0, "node-a");
    assertThat(row).hasSize(5);
    assertThat(row.subList(0, 3)).containsExactly("node-a", "Ready", "control-plane");
    assertThat(row.get(4)).isEqualTo("v1.32.0");
    String wide = kubectl.run("get", "nodes", "-o", "wide").ok();
    assertThat(Kubectl.header(wide)).containsExactly("NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP",
        "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME");
    assertThat(Kubectl.row(wide, 0, "node-a").subList(5, 10)).containsExactly("10.1.0.7", "<none>",
        "Debian GNU/Linux 12 (bookworm)", "6.1.0", "containerd://1.7.0");
    kubectl.run("cordon", "node-a").ok();
    assertThat(Kubectl.row(kubectl.run("get", "nodes").ok(), 0, "node-a").get(1))
        .isEqualTo("Ready,SchedulingDisabled");
    kubectl.run("uncordon", "node-a").ok();
  }

  @Test
  void deploymentsTableAndWide() {
    kubectl.run("create", "deployment", "api", "--image=nginx:1.27", "--replicas=2").ok();
    String out = kubectl.run("get", "deployments").ok();
    assertThat(Kubectl.header(out)).containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
    assertThat(Kubectl.row(out, 0, "api").subList(0, 4)).containsExactly("api", "0/2", "0", "0");
    String wide = kubectl.run("get", "deploy", "api", "-o", "wide").ok();
    assertThat(Kubectl.header(wide)).containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE",
        "CONTAINERS", "IMAGES", "SELECTOR");
    assertThat(Kubectl.row(wide, 0, "api").subList(5, 8)).containsExactly("nginx", "nginx:1.27", "app=api");
  }

  @Test
  void servicesTable() {
    kubectl.run("create", "service", "clusterip", "front", "--tcp=80:8080").ok();
    String out = kubectl.run("get", "services", "front").ok();
    assertThat(Kubectl.header(out)).containsExactly("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE");
    List<String> row = Kubectl.row(out, 0, "front");
    assertThat(row.get(1)).isEqualTo("ClusterIP");
    assertThat(row.get(3)).isEqualTo("<none>");
    assertThat(row.get(4)).isEqualTo("80/TCP");
    // a ClusterIP service has no node port, and its JSON carries none
    assertThat(kubectl.run("get", "svc", "front", "-o", "jsonpath={.spec.ports[0]}").ok()).doesNotContain("nodePort");
    String wide = kubectl.run("get", "svc", "front", "-o", "wide").ok();
    assertThat(Kubectl.header(wide)).last().isEqualTo("SELECTOR");
    assertThat(Kubectl.row(wide, 0, "front")).last().isEqualTo("app=front");
  }

  @Test
  void eventsTable() {
    kubectl.runWithStdin("""
        apiVersion: v1
        kind: Event
        metadata: {name: db-1.scheduled}
        involvedObject: {kind: Pod, name: db-1, namespace: default, apiVersion: v1}
        reason: FailedScheduling
        type: Warning
        message: 0/1 nodes are available
        source: {component: default-scheduler}
        firstTimestamp: "2026-01-01T00:00:00Z"
        lastTimestamp: "2026-01-01T00:00:00Z"
        count: 3
        """, "create", "-f", "-").ok();
    String out = kubectl.run("get", "events").ok();
    assertThat(Kubectl.header(out)).containsExactly("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
    List<String> row = Kubectl.row(out, 2, "FailedScheduling");
    assertThat(row.subList(1, 5)).containsExactly("Warning", "FailedScheduling", "pod/db-1",
        "0/1 nodes are available");
    assertThat(row.get(0)).matches("\\d+[dhm].*");
    String byObject = kubectl.run("get", "events", "--field-selector", "involvedObject.name=db-1", "-o", "name")
        .ok();
    assertThat(byObject.strip()).isEqualTo("event/db-1.scheduled");
  }

  @Test
  void jsonYamlJsonpathAndName() throws Exception {
    JsonNode pod = JSON.readTree(kubectl.run("get", "pod", "web-1", "-o", "json").ok());
    assertThat(pod.path("kind").asText()).isEqualTo("Pod");
    assertThat(pod.path("spec").path("nodeName").asText()).isEqualTo("node-a");
    assertThat(pod.path("metadata").path("uid").asText()).isNotEmpty();
    JsonNode list = JSON.readTree(kubectl.run("get", "pods", "-o", "json").ok());
    assertThat(list.path("kind").asText()).isEqualTo("List");
    assertThat(list.path("items")).hasSize(3);
    assertThat(kubectl.run("get", "pod", "web-1", "-o", "yaml").ok())
        .startsWith("apiVersion: v1\nkind: Pod\nmetadata:\n").contains("  name: web-1\n", "nodeName: node-a");
    assertThat(kubectl.run("get", "pods", "-o", "jsonpath={.items[*].metadata.name}").ok())
        .isEqualTo("db-1 web-1 web-2");
    assertThat(kubectl.run("get", "pod", "web-1", "-o", "jsonpath={.status.podIP}").ok()).isEqualTo("10.244.0.5");
    assertThat(kubectl.run("get", "pods", "-o", "name").lines()).containsExactly("pod/db-1", "pod/web-1",
        "pod/web-2");
    assertThat(kubectl.run("get", "pods", "-o", "custom-columns=N:.metadata.name,APP:.metadata.labels.app",
        "--sort-by=.metadata.name").lines()).containsExactly("N       APP", "db-1    db", "web-1   web", "web-2   web");
  }

  @Test
  void labelSelectors() {
    assertThat(kubectl.run("get", "pods", "-l", "app=web", "-o", "name").lines())
        .containsExactly("pod/web-1", "pod/web-2");
    assertThat(kubectl.run("get", "pods", "--selector", "app!=web", "-o", "name").lines())
        .containsExactly("pod/db-1");
    assertThat(kubectl.run("get", "pods", "-l", "app in (db,cache)", "-o", "name").lines())
        .containsExactly("pod/db-1");
    assertThat(kubectl.run("get", "pods", "-l", "app notin (db)", "-o", "name").lines())
        .containsExactly("pod/web-1", "pod/web-2");
    assertThat(kubectl.run("get", "pods", "-l", "!app", "-o", "name").lines()).isEmpty();
    assertThat(kubectl.run("get", "nodes", "-l", "disk", "-o", "name").lines()).containsExactly("node/node-a");
    Kubectl.Result bad = kubectl.run("get", "pods", "-l", "app in web");
    assertThat(bad.fails()).contains("unable to parse requirement");
  }

  @Test
  void fieldSelectors() {
    assertThat(kubectl.run("get", "pods", "--field-selector", "spec.nodeName=node-a", "-o", "name").lines())
        .containsExactly("pod/web-1");
    assertThat(kubectl.run("get", "pods", "--field-selector", "status.phase=Pending", "-o", "name").lines())
        .containsExactly("pod/db-1", "pod/web-2");
    assertThat(kubectl.run("get", "pods", "-A", "--field-selector", "metadata.name=cart-1", "-o", "name").lines())
        .containsExactly("pod/cart-1");
    assertThat(kubectl.run("get", "pods", "--field-selector", "status.phase!=Running,metadata.name!=db-1", "-o",
        "name").lines()).containsExactly("pod/web-2");
    Kubectl.Result bad = kubectl.run("get", "pods", "--field-selector", "spec.bogus=x");
    assertThat(bad.fails()).contains("Error from server (BadRequest)", "field label not supported: spec.bogus");
  }

  @Test
  void allNamespacesAddsTheNamespaceColumn() {
    String out = kubectl.run("get", "pods", "--all-namespaces").ok();
    assertThat(Kubectl.header(out)).containsExactly("NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE");
    assertThat(Kubectl.row(out, 1, "cart-1").get(0)).isEqualTo("shop");
    assertThat(Kubectl.row(out, 1, "web-1").get(0)).isEqualTo("default");
    assertThat(kubectl.run("get", "pods", "-A", "-o", "name").lines()).hasSize(4);
  }

  @Test
  void chunkSizePagesThroughContinueTokens() {
    kubectl.run("create", "namespace", "paging").ok();
    for (int i = 0; i < 7; i++) kubectl.run("create", "configmap", "cm-" + i, "-n", "paging").ok();
    Kubectl.Result r = kubectl.run("get", "configmaps", "-n", "paging", "--chunk-size=2", "-v=6");
    String out = r.ok();
    assertThat(Kubectl.header(out)).containsExactly("NAME", "DATA", "AGE");
    // kube-root-ca.crt is created by a controller in real clusters; count only ours
    assertThat(out.lines().filter(l -> l.startsWith("cm-")).count()).isEqualTo(7);
    assertThat(r.err()).contains("configmaps?limit=2 200 OK").containsPattern("continue=[^&\\s]+&limit=2 200 OK");
    assertThat(r.err().lines().filter(l -> l.contains("limit=2 200 OK")).count()).isEqualTo(4);
    assertThat(kubectl.run("get", "configmaps", "-n", "paging", "--chunk-size=3", "-o", "name").lines())
        .hasSize(7);
  }

  @Test
  void configMapsSecretsAndServiceAccountsTables() {
    kubectl.run("create", "configmap", "settings", "--from-literal=a=1", "--from-literal=b=2").ok();
    kubectl.run("create", "secret", "generic", "creds", "--from-literal=user=u").ok();
    kubectl.run("create", "serviceaccount", "robot").ok();
    assertThat(Kubectl.row(kubectl.run("get", "configmap", "settings").ok(), 0, "settings").subList(0, 2))
        .containsExactly("settings", "2");
    String secrets = kubectl.run("get", "secret", "creds").ok();
    assertThat(Kubectl.header(secrets)).containsExactly("NAME", "TYPE", "DATA", "AGE");
    assertThat(Kubectl.row(secrets, 0, "creds").subList(0, 3)).containsExactly("creds", "Opaque", "1");
    String sa = kubectl.run("get", "serviceaccount", "robot").ok();
    assertThat(Kubectl.header(sa)).containsExactly("NAME", "SECRETS", "AGE");
    assertThat(Kubectl.row(sa, 0, "robot").subList(0, 2)).containsExactly("robot", "0");
  }
}
