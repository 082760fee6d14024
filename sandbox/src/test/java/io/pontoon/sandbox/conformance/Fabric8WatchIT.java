package io.pontoon.sandbox.conformance;

import io.pontoon.api.controller.Handlers;
import static io.pontoon.sandbox.conformance.Fabric8Support.admin;
import static io.pontoon.sandbox.conformance.Fabric8Support.createNamespace;
import static io.pontoon.sandbox.conformance.Fabric8Support.pod;
import static io.pontoon.sandbox.conformance.Fabric8Support.podOnNode;
import static io.pontoon.sandbox.conformance.Fabric8Support.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue point 4: watches (replay, expiry, bookmarks, selectors, timeouts) and fabric8 informers. */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Fabric8WatchIT {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private SandboxApiServer server;
  private KubernetesClient client;

  @BeforeAll
  void setUp(SandboxApiServer server) {
    this.server = server;
    client = admin(server);
  }

  @AfterAll
  void tearDown() {
    client.close();
  }

  /** Records what a watch delivers, as "TYPE name". */
  static final class Recorder<T extends io.fabric8.kubernetes.api.model.HasMetadata> implements Watcher<T> {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<T> objects = new CopyOnWriteArrayList<>();
    final CompletableFuture<WatcherException> closed = new CompletableFuture<>();

    @Override
    public void eventReceived(Action action, T resource) {
      events.add(action + " " + resource.getMetadata().getName());
      objects.add(resource);
    }

    @Override
    public void onClose(WatcherException cause) {
      closed.complete(cause);
    }

    @Override
    public void onClose() {
      closed.complete(null);
    }
  }

  private static ConfigMap cm(String name, Map<String, String> labels) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
  }

  @Test
  void watchReplaysFromAResourceVersion() {
    createNamespace(client, "replay", Map.of());
    var cms = client.configMaps().inNamespace("replay");
    String from = cms.resource(cm("a", Map.of())).create().getMetadata().getResourceVersion();
    cms.withName("a").edit(c -> new ConfigMapBuilder(c).addToData("k", "v").build());
    cms.resource(cm("b", Map.of())).create();
    cms.withName("a").delete();
    Recorder<ConfigMap> rec = new Recorder<>();
    try (Watch w = cms.watch(new ListOptionsBuilder().withResourceVersion(from).build(), rec)) {
      await().atMost(DEADLINE).until(() -> rec.events.size() >= 3);
      assertThat(rec.events).containsExactly("MODIFIED a", "ADDED b", "DELETED a");
      // resource versions of the replayed events grow
      long prev = Long.parseLong(from);
      for (ConfigMap c : rec.objects) {
        long rv = Long.parseLong(c.getMetadata().getResourceVersion());
        assertThat(rv).isGreaterThan(prev);
        prev = rv;
      }
      // and the watch goes on with live events
      cms.resource(cm("c", Map.of())).create();
      await().atMost(DEADLINE).until(() -> rec.events.contains("ADDED c"));
    }
  }

  @Test
  void watchWithoutResourceVersionStartsWithTheCurrentState() {
    createNamespace(client, "initial", Map.of());
    var cms = client.configMaps().inNamespace("initial");
    cms.resource(cm("x", Map.of())).create();
    cms.resource(cm("y", Map.of())).create();
    Recorder<ConfigMap> rec = new Recorder<>();
    try (Watch w = cms.watch(rec)) {
      await().atMost(DEADLINE).until(() -> rec.events.size() >= 2);
      assertThat(rec.events).containsExactlyInAnyOrder("ADDED x", "ADDED y");
    }
  }

  @Test
  void objectThatStopsMatchingTheSelectorArrivesAsDeleted() {
    createNamespace(client, "relabel", Map.of());
    var cms = client.configMaps().inNamespace("relabel");
    Recorder<ConfigMap> rec = new Recorder<>();
    try (Watch w = cms.withLabel("watched", "yes").watch(rec)) {
      cms.resource(cm("m", Map.of("watched", "yes"))).create();
      cms.resource(cm("ignored", Map.of("watched", "no"))).create();
      await().atMost(DEADLINE).until(() -> rec.events.contains("ADDED m"));
      cms.withName("m").edit(c -> new ConfigMapBuilder(c).editMetadata().addToLabels("watched", "no").endMetadata()
          .build());
      await().atMost(DEADLINE).until(() -> rec.events.contains("DELETED m"));
      // the DELETED event carries the last state that matched, at the version of the change
      ConfigMap gone = rec.objects.get(rec.objects.size() - 1);
      assertThat(gone.getMetadata().getLabels()).containsEntry("watched", "yes");
      assertThat(gone.getMetadata().getResourceVersion()).isEqualTo(cms.withName("m").get().getMetadata()
          .getResourceVersion());
      cms.withName("m").edit(c -> new ConfigMapBuilder(c).editMetadata().addToLabels("watched", "yes").endMetadata()
          .build());
      await().atMost(DEADLINE).until(() -> rec.events.size() >= 3);
      assertThat(rec.events).containsExactly("ADDED m", "DELETED m", "ADDED m");
    }
  }

  @Test
  void watchWithBookmarksAllowedDeliversEvents() {
    createNamespace(client, "bookmarks", Map.of());
    var cms = client.configMaps().inNamespace("bookmarks");
    String rv = cms.list().getMetadata().getResourceVersion();
    Recorder<ConfigMap> rec = new Recorder<>();
    try (Watch w = cms.watch(new ListOptionsBuilder().withResourceVersion(rv).withAllowWatchBookmarks(true).build(),
        rec)) {
      cms.resource(cm("bm", Map.of())).create();
      await().atMost(DEADLINE).until(() -> rec.events.contains("ADDED bm"));
      assertThat(rec.closed).isNotDone();
    }
  }

  /** Streams a raw watch until the server ends it; returns the events as JSON. */
  private List<JsonNode> rawWatch(String pathAndQuery) throws Exception {
    var r = raw(server);
    HttpRequest req = HttpRequest.newBuilder(URI.create(r.base() + pathAndQuery)).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + r.token()).GET().build();
    HttpResponse<Stream<String>> resp = r.http().send(req, HttpResponse.BodyHandlers.ofLines());
    assertThat(resp.statusCode()).isEqualTo(200);
    return resp.body().filter(l -> !l.isBlank()).map(l -> {
      try {
        return JSON.readTree(l);
      } catch (Exception e) {
        throw new IllegalStateException(l, e);
      }
    }).toList();
  }

  @Test
  void timeoutSecondsEndsTheWatch() throws Exception {
    createNamespace(client, "timeout", Map.of());
    client.configMaps().inNamespace("timeout").resource(cm("t", Map.of())).create();
    long start = System.nanoTime();
    List<JsonNode> events = rawWatch("/api/v1/namespaces/timeout/configmaps?watch=1&timeoutSeconds=1");
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(elapsedMs).isBetween(900L, 8_000L);
    assertThat(events).extracting(e -> e.path("type").asText() + " " + e.path("object").path("metadata")
        .path("name").asText()).containsExactly("ADDED t");
  }

  @Test
  void initialEventsEndWithABookmark() throws Exception {
    createNamespace(client, "watchlist", Map.of());
    client.configMaps().inNamespace("watchlist").resource(cm("w1", Map.of())).create();
    List<JsonNode> events = rawWatch("/api/v1/namespaces/watchlist/configmaps?watch=1&sendInitialEvents=true"
        + "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1");
    assertThat(events).extracting(e -> e.path("type").asText()).startsWith("ADDED", "BOOKMARK");
    JsonNode bookmark = events.get(1).path("object");
    assertThat(bookmark.path("metadata").path("annotations").path("k8s.io/initial-events-end").asText())
        .isEqualTo("true");
    assertThat(bookmark.path("kind").asText()).isEqualTo("ConfigMap");
    assertThat(Long.parseLong(bookmark.path("metadata").path("resourceVersion").asText())).isPositive();
  }

  @Test
  void tooOldResourceVersionIs410Gone() {
    try (SandboxApiServer small = SandboxApiServer.start(SandboxApiServer.Options.defaults("short-history")
        .withHistoryPerType(10)); KubernetesClient c = admin(small)) {
      var cms = c.configMaps().inNamespace("default");
      String first = cms.resource(cm("old", Map.of())).create().getMetadata().getResourceVersion();
      for (int i = 0; i < 15; i++) {
        int n = i;
        cms.withName("old").edit(x -> new ConfigMapBuilder(x).addToData("n", Integer.toString(n)).build());
      }
      Recorder<ConfigMap> rec = new Recorder<>();
      Watch w = cms.watch(new ListOptionsBuilder().withResourceVersion(first).build(), rec);
      try {
        WatcherException e = rec.closed.get(10, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(e.isHttpGone()).isTrue();
        assertThat(e.getMessage()).contains("too old resource version");
      } catch (Exception e) {
        throw new AssertionError(e);
      } finally {
        w.close();
      }
      // a recent version still works
      String recent = cms.withName("old").get().getMetadata().getResourceVersion();
      Recorder<ConfigMap> ok = new Recorder<>();
      try (Watch w2 = cms.watch(new ListOptionsBuilder().withResourceVersion(recent).build(), ok)) {
        cms.resource(cm("new", Map.of())).create();
        await().atMost(DEADLINE).until(() -> ok.events.contains("ADDED new"));
      }
      // a paged list whose snapshot fell out of the history is 410 Expired too
      for (int i = 0; i < 3; i++) cms.resource(cm("page-" + i, Map.of())).create();
      var page = cms.list(new ListOptionsBuilder().withLimit(1L).build());
      for (int i = 0; i < 12; i++) {
        int n = i;
        cms.withName("old").edit(x -> new ConfigMapBuilder(x).addToData("m", Integer.toString(n)).build());
      }
      var s = Fabric8Support.expectStatus(410, "Expired", () -> cms.list(new ListOptionsBuilder().withLimit(1L)
          .withContinue(page.getMetadata().getContinue()).build()));
      assertThat(s.getMessage()).startsWith("The provided continue parameter is too old");
    }
  }

  @Test
  void fieldSelectedInformerSeesExactlyThePodsOfItsNode() {
    createNamespace(client, "informer", Map.of());
    var pods = client.pods().inNamespace("informer");
    pods.resource(podOnNode("a-1", "node-a")).create();
    pods.resource(podOnNode("b-1", "node-b")).create();
    pods.resource(pod("later", Map.of())).create();
    pods.resource(pod("elsewhere", Map.of())).create();
    List<String> added = new CopyOnWriteArrayList<>();
    List<String> deleted = new CopyOnWriteArrayList<>();
    SharedIndexInformer<Pod> informer = client.pods().inAnyNamespace().withField("spec.nodeName", "node-a")
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod p) {
            added.add(p.getMetadata().getName());
          }

          @Override
          public void onUpdate(Pod oldPod, Pod newPod) {
          }

          @Override
          public void onDelete(Pod p, boolean deletedFinalStateUnknown) {
            deleted.add(p.getMetadata().getName());
          }
        }, 0);
    try {
      await().atMost(DEADLINE).until(informer::hasSynced);
      assertThat(informer.getStore().list()).extracting(p -> p.getMetadata().getName()).containsExactly("a-1");

      // the scheduler's bind: POST pods/later/binding
      var bind = raw(server).send("POST", "/api/v1/namespaces/informer/pods/later/binding", "application/json",
          "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"later\"},"
              + "\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"node-a\"}}");
      assertThat(bind.statusCode()).as(bind.body()).isEqualTo(201);
      assertThat(bind.body()).contains("\"status\":\"Success\"");
      await().atMost(DEADLINE).until(() -> added.contains("later"));
      Pod bound = informer.getStore().getByKey("informer/later");
      assertThat(bound.getSpec().getNodeName()).isEqualTo("node-a");
      assertThat(bound.getStatus().getConditions()).anyMatch(c -> c.getType().equals("PodScheduled")
          && c.getStatus().equals("True"));
      // a bound pod cannot be bound again
      var again = raw(server).send("POST", "/api/v1/namespaces/informer/pods/later/binding", "application/json",
          "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"later\"},"
              + "\"target\":{\"name\":\"node-b\"}}");
      assertThat(again.statusCode()).isEqualTo(409);

      pods.resource(podOnNode("a-2", "node-a")).create();
      pods.resource(podOnNode("b-2", "node-b")).create();
      await().atMost(DEADLINE).until(() -> added.contains("a-2"));
      pods.withName("a-1").withGracePeriod(0).delete();
      await().atMost(DEADLINE).until(() -> deleted.contains("a-1"));
      assertThat(informer.getStore().list()).extracting(p -> p.getMetadata().getName())
          .containsExactlyInAnyOrder("later", "a-2");
      assertThat(added).containsExactlyInAnyOrder("a-1", "later", "a-2");
    } finally {
      informer.close();
    }
  }
}
