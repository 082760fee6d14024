package io.pontoon.sandbox.conformance;

import static io.pontoon.sandbox.conformance.Fabric8Support.admin;
import static io.pontoon.sandbox.conformance.Fabric8Support.createNamespace;
import static io.pontoon.sandbox.conformance.Fabric8Support.expectStatus;
import static io.pontoon.sandbox.conformance.Fabric8Support.pod;
import static io.pontoon.sandbox.conformance.Fabric8Support.podOnNode;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue point 3: label and field selectors, paging and the resourceVersion of lists. */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Fabric8ListIT {
  private static final String NS = "lists";
  private KubernetesClient client;

  @BeforeAll
  void setUp(SandboxApiServer server) {
    client = admin(server);
    createNamespace(client, NS, Map.of());
    createNamespace(client, "lists-other", Map.of());
    var pods = client.pods().inNamespace(NS);
    pods.resource(pod("web-prod", Map.of("env", "prod", "tier", "web"))).create();
    pods.resource(pod("db-prod", Map.of("env", "prod", "tier", "db"))).create();
    pods.resource(pod("web-dev", Map.of("env", "dev", "tier", "web"))).create();
    pods.resource(pod("qa", Map.of("env", "qa"))).create();
    pods.resource(pod("bare", Map.of())).create();
  }

  @AfterAll
  void tearDown() {
    client.close();
  }

  private List<String> names(List<? extends HasMetadata> items) {
    return items.stream().map(i -> i.getMetadata().getName()).sorted().toList();
  }

  private List<String> select(String labelSelector) {
    return names(client.pods().inNamespace(NS).list(new ListOptionsBuilder().withLabelSelector(labelSelector)
        .build()).getItems());
  }

  @Test
  void labelSelectorOperators() {
    assertThat(select("env=prod")).containsExactly("db-prod", "web-prod");
    assertThat(select("env==prod")).containsExactly("db-prod", "web-prod");
    // != also selects objects without the label, as in kube
    assertThat(select("env!=prod")).containsExactly("bare", "qa", "web-dev");
    assertThat(select("env in (dev,qa)")).containsExactly("qa", "web-dev");
    assertThat(select("env notin (dev,qa)")).containsExactly("bare", "db-prod", "web-prod");
    assertThat(select("tier")).containsExactly("db-prod", "web-dev", "web-prod");
    assertThat(select("!tier")).containsExactly("bare", "qa");
    assertThat(select("env=prod,tier=web")).containsExactly("web-prod");
    assertThat(select("")).hasSize(5);
  }

  @Test
  void fabric8LabelHelpers() {
    var pods = client.pods().inNamespace(NS);
    assertThat(names(pods.withLabel("tier", "web").list().getItems())).containsExactly("web-dev", "web-prod");
    assertThat(names(pods.withoutLabel("tier", "web").list().getItems())).containsExactly("bare", "db-prod", "qa");
    assertThat(names(pods.withLabelIn("env", "dev", "qa").list().getItems())).containsExactly("qa", "web-dev");
    assertThat(names(pods.withLabelNotIn("env", "prod").list().getItems())).containsExactly("bare", "qa", "web-dev");
    assertThat(names(pods.withLabel("tier").list().getItems())).containsExactly("db-prod", "web-dev", "web-prod");
    assertThat(names(pods.withoutLabel("tier").list().getItems())).containsExactly("bare", "qa");
  }

  @Test
  void malformedLabelSelectorIs400() {
    Status s = expectStatus(400, "BadRequest", () -> select("env in (prod"));
    assertThat(s.getMessage()).contains("unable to parse requirement");
  }

  @Test
  void podFieldSelectors() {
    var pods = client.pods().inNamespace("lists-other");
    pods.resource(podOnNode("on-a", "node-a")).create();
    pods.resource(podOnNode("on-b", "node-b")).create();
    pods.resource(pod("unbound", Map.of())).create();
    Pod running = pods.resource(podOnNode("running-a", "node-a")).create();
    running.getStatus().setPhase("Running");
    pods.resource(running).updateStatus();

    assertThat(names(pods.withField("spec.nodeName", "node-a").list().getItems())).containsExactly("on-a", "running-a");
    assertThat(names(pods.withField("spec.nodeName", "").list().getItems())).containsExactly("unbound");
    assertThat(names(pods.withoutField("spec.nodeName", "node-a").list().getItems())).containsExactly("on-b", "unbound");
    assertThat(names(pods.withField("status.phase", "Running").list().getItems())).containsExactly("running-a");
    assertThat(names(pods.withFields(Map.of("status.phase", "Pending", "spec.nodeName", "node-a")).list().getItems()))
        .containsExactly("on-a");
    assertThat(names(pods.withField("metadata.name", "on-b").list().getItems())).containsExactly("on-b");
    assertThat(names(client.pods().inAnyNamespace().withField("metadata.namespace", "lists-other")
        .withField("spec.nodeName", "node-a").list().getItems())).containsExactly("on-a", "running-a");
    assertThat(names(client.pods().inAnyNamespace().withField("spec.schedulerName", "default-scheduler")
        .withField("metadata.namespace", "lists-other").list().getItems())).hasSize(4);
  }

  @Test
  void eventAndSecretFieldSelectors() {
    var events = client.v1().events().inNamespace("lists-other");
    for (String[] e : new String[][] {{"ev-1", "Pod", "on-a"}, {"ev-2", "Pod", "on-b"}, {"ev-3", "Node", "node-a"}}) {
      events.resource(new EventBuilder().withNewMetadata().withName(e[0]).endMetadata()
          .withNewInvolvedObject().withKind(e[1]).withName(e[2]).withNamespace("lists-other").endInvolvedObject()
          .withReason("Test").withMessage("m").withType("Normal").build()).create();
    }
    assertThat(names(events.withField("involvedObject.kind", "Pod").list().getItems())).containsExactly("ev-1", "ev-2");
    assertThat(names(events.withFields(Map.of("involvedObject.kind", "Pod", "involvedObject.name", "on-b")).list()
        .getItems())).containsExactly("ev-2");
    assertThat(names(events.withField("reason", "Test").list().getItems())).hasSize(3);

    var secrets = client.secrets().inNamespace("lists-other");
    secrets.resource(new SecretBuilder().withNewMetadata().withName("opaque").endMetadata().build()).create();
    secrets.resource(new SecretBuilder().withNewMetadata().withName("tls").endMetadata().withType("kubernetes.io/tls")
        .addToData("tls.crt", "").addToData("tls.key", "").build()).create();
    assertThat(names(secrets.withField("type", "kubernetes.io/tls").list().getItems())).containsExactly("tls");
    assertThat(names(secrets.withField("type", "Opaque").list().getItems())).containsExactly("opaque");
  }

  @Test
  void unsupportedFieldIs400() {
    Status s = expectStatus(400, "BadRequest",
        () -> client.pods().inNamespace(NS).withField("spec.priority", "1").list());
    assertThat(s.getMessage()).isEqualTo("field label not supported: spec.priority");
    Status cm = expectStatus(400, "BadRequest",
        () -> client.configMaps().inNamespace(NS).withField("data.x", "y").list());
    assertThat(cm.getMessage()).contains("\"data.x\" is not a known field selector");
  }

  @Test
  void limitAndContinuePageThroughAConsistentList() {
    String ns = "paging";
    createNamespace(client, ns, Map.of());
    for (int i = 0; i < 7; i++) {
      client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i)
          .endMetadata().build()).create();
    }
    var first = client.configMaps().inNamespace(ns).list(new ListOptionsBuilder().withLimit(3L).build());
    assertThat(names(first.getItems())).containsExactly("cm-0", "cm-1", "cm-2");
    assertThat(first.getMetadata().getContinue()).isNotEmpty();
    assertThat(first.getMetadata().getRemainingItemCount()).isEqualTo(4L);
    List<String> all = new ArrayList<>(names(first.getItems()));
    String token = first.getMetadata().getContinue();
    while (token != null && !token.isEmpty()) {
      var page = client.configMaps().inNamespace(ns).list(new ListOptionsBuilder().withLimit(3L).withContinue(token)
          .build());
      assertThat(page.getMetadata().getResourceVersion()).as("every page is served at the first page's version")
          .isEqualTo(first.getMetadata().getResourceVersion());
      all.addAll(names(page.getItems()));
      token = page.getMetadata().getContinue();
    }
    assertThat(all).containsExactly("cm-0", "cm-1", "cm-2", "cm-3", "cm-4", "cm-5", "cm-6");
    // fabric8's own pager (list with limit, then continue) yields the same
    assertThat(client.configMaps().inNamespace(ns).list(new ListOptionsBuilder().withLimit(2L).build())
        .getItems()).hasSize(2);
    Status bad = expectStatus(400, "BadRequest", () -> client.configMaps().inNamespace(ns)
        .list(new ListOptionsBuilder().withLimit(2L).withContinue("not-a-token").build()));
    assertThat(bad.getMessage()).contains("continue");
  }

  @Test
  void continuedPagesShowTheSnapshotOfTheFirstPage() {
    String ns = "snapshot";
    createNamespace(client, ns, Map.of());
    for (String n : List.of("a", "b", "c", "d")) {
      client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(n)
          .endMetadata().build()).create();
    }
    var first = client.configMaps().inNamespace(ns).list(new ListOptionsBuilder().withLimit(2L).build());
    // changes after the first page are not seen by the rest of a paged list (it reads one snapshot)
    client.configMaps().inNamespace(ns).withName("d").delete();
    client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("e")
        .endMetadata().build()).create();
    var rest = client.configMaps().inNamespace(ns).list(new ListOptionsBuilder().withLimit(10L)
        .withContinue(first.getMetadata().getContinue()).build());
    assertThat(names(rest.getItems())).containsExactly("c", "d");
  }

  @Test
  void listResourceVersionIsTheStoreRevision() {
    PodList before = client.pods().inNamespace(NS).list();
    long listRv = Long.parseLong(before.getMetadata().getResourceVersion());
    for (Pod p : before.getItems()) {
      assertThat(Long.parseLong(p.getMetadata().getResourceVersion())).isLessThanOrEqualTo(listRv);
    }
    // a write of any kind moves the list's version forward, even when this list did not change
    var cm = client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
        .withGenerateName("bump-").endMetadata().build()).create();
    long after = Long.parseLong(client.pods().inNamespace(NS).list().getMetadata().getResourceVersion());
    assertThat(after).isGreaterThanOrEqualTo(Long.parseLong(cm.getMetadata().getResourceVersion()))
        .isGreaterThan(listRv);
    assertThat(before.getKind()).isEqualTo("PodList");
    assertThat(before.getApiVersion()).isEqualTo("v1");
  }
}
