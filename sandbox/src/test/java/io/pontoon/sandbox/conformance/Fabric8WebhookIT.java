package io.pontoon.sandbox.conformance;

import static io.pontoon.sandbox.conformance.Fabric8Support.admin;
import static io.pontoon.sandbox.conformance.Fabric8Support.createNamespace;
import static io.pontoon.sandbox.conformance.Fabric8Support.expectStatus;
import static io.pontoon.sandbox.conformance.Fabric8Support.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.apiserver.auth.IssuedCertificate;
import io.pontoon.sandbox.junit.SandboxExtension;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue point 9: mutating admission webhooks over HTTPS with AdmissionReview v1. */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Fabric8WebhookIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private SandboxApiServer server;
  private KubernetesClient client;
  private Vertx vertx;
  private HttpServer webhook;
  private final List<JsonNode> reviews = new CopyOnWriteArrayList<>();

  @BeforeAll
  void setUp(SandboxApiServer server) throws Exception {
    this.server = server;
    client = admin(server);
    vertx = Vertx.vertx();
    IssuedCertificate serving = server.ca().issueServing(List.of("localhost"), List.of("127.0.0.1"),
        Duration.ofHours(1));
    webhook = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
            .setKeyCertOptions(new PemKeyCertOptions().addCertValue(Buffer.buffer(serving.certificatePem()))
                .addKeyValue(Buffer.buffer(serving.keyPem()))))
        .requestHandler(req -> req.body().onSuccess(body -> {
          ObjectNode answer = answer(body.toString(StandardCharsets.UTF_8));
          req.response().putHeader("Content-Type", "application/json").end(answer.toString());
        }))
        .listen().toCompletionStage().toCompletableFuture().get();

    createNamespace(client, "wh-on", Map.of("webhook", "enabled"));
    createNamespace(client, "wh-off", Map.of());
    createNamespace(client, "wh-fail", Map.of("webhook", "broken-fail"));
    createNamespace(client, "wh-ignore", Map.of("webhook", "broken-ignore"));
    String url = "https://127.0.0.1:" + webhook.actualPort() + "/mutate";
    // nothing listens on port 1 of loopback: a webhook that is down
    String down = "https://127.0.0.1:1/mutate";
    client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(
        new MutatingWebhookConfigurationBuilder().withNewMetadata().withName("pontoon-test").endMetadata()
            .withWebhooks(hook("label.example.com", url, "Fail", "enabled"),
                hook("fail.example.com", down, "Fail", "broken-fail"),
                hook("ignore.example.com", down, "Ignore", "broken-ignore"))
            .build()).create();
  }

  private MutatingWebhookBuilder base(String name, String url, String failurePolicy) {
    return new MutatingWebhookBuilder().withName(name).withAdmissionReviewVersions("v1").withSideEffects("None")
        .withFailurePolicy(failurePolicy).withTimeoutSeconds(3)
        .withNewClientConfig().withUrl(url).withCaBundle(Base64.getEncoder().encodeToString(
            server.ca().certificatePem().getBytes(StandardCharsets.US_ASCII))).endClientConfig()
        .addNewRule().withOperations("CREATE").withApiGroups("").withApiVersions("v1").withResources("pods")
        .endRule();
  }

  private io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook hook(String name, String url,
      String failurePolicy, String namespaceLabel) {
    LabelSelector objects = new LabelSelectorBuilder().addNewMatchExpression().withKey("skip-webhook")
        .withOperator("DoesNotExist").endMatchExpression().build();
    return base(name, url, failurePolicy)
        .withNamespaceSelector(new LabelSelectorBuilder().addToMatchLabels("webhook", namespaceLabel).build())
        .withObjectSelector(objects).build();
  }

  /** The webhook: adds a label with a JSONPatch, or denies pods labelled deny=true. */
  private ObjectNode answer(String body) {
    try {
      JsonNode review = JSON.readTree(body);
      reviews.add(review);
      JsonNode request = review.path("request");
      ObjectNode out = JSON.createObjectNode();
      out.put("apiVersion", "admission.k8s.io/v1");
      out.put("kind", "AdmissionReview");
      ObjectNode response = out.putObject("response");
      response.put("uid", request.path("uid").asText());
      JsonNode labels = request.path("object").path("metadata").path("labels");
      if (labels.path("deny").asText().equals("true")) {
        response.put("allowed", false);
        response.putObject("status").put("code", 403).put("reason", "Forbidden")
            .put("message", "pods labelled deny=true are not welcome");
        return out;
      }
      response.put("allowed", true);
      ArrayNode patch = JSON.createArrayNode();
      if (labels.isMissingNode() || labels.isNull()) {
        patch.addObject().put("op", "add").put("path", "/metadata/labels").putObject("value")
            .put("mutated-by", "webhook");
      } else {
        patch.addObject().put("op", "add").put("path", "/metadata/labels/mutated-by").put("value", "webhook");
      }
      response.put("patchType", "JSONPatch");
      response.put("patch", Base64.getEncoder().encodeToString(patch.toString().getBytes(StandardCharsets.UTF_8)));
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    client.close();
    webhook.close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void jsonPatchFromTheWebhookIsApplied() {
    Pod created = client.pods().inNamespace("wh-on").resource(pod("mutated", Map.of("app", "x"))).create();
    assertThat(created.getMetadata().getLabels()).containsEntry("mutated-by", "webhook").containsEntry("app", "x");
    assertThat(client.pods().inNamespace("wh-on").withName("mutated").get().getMetadata().getLabels())
        .containsEntry("mutated-by", "webhook");
    JsonNode review = reviews.stream().filter(r -> r.path("request").path("name").asText().equals("mutated"))
        .findFirst().orElseThrow();
    assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    JsonNode request = review.path("request");
    assertThat(request.path("operation").asText()).isEqualTo("CREATE");
    assertThat(request.path("namespace").asText()).isEqualTo("wh-on");
    assertThat(request.path("kind").path("kind").asText()).isEqualTo("Pod");
    assertThat(request.path("resource").path("resource").asText()).isEqualTo("pods");
    assertThat(request.path("userInfo").path("username").asText()).isEqualTo("kubernetes-admin");
    // a pod without labels gets the whole map added
    Pod bare = pod("bare", Map.of());
    bare.getMetadata().setLabels(null);
    assertThat(client.pods().inNamespace("wh-on").resource(bare).create().getMetadata().getLabels())
        .containsEntry("mutated-by", "webhook");
  }

  @Test
  void namespaceSelectorLimitsTheWebhook() {
    Pod created = client.pods().inNamespace("wh-off").resource(pod("untouched", Map.of("app", "x"))).create();
    assertThat(created.getMetadata().getLabels()).doesNotContainKey("mutated-by");
    assertThat(reviews).noneMatch(r -> r.path("request").path("name").asText().equals("untouched"));
  }

  @Test
  void objectSelectorLimitsTheWebhook() {
    Pod created = client.pods().inNamespace("wh-on").resource(pod("skipped", Map.of("skip-webhook", "yes")))
        .create();
    assertThat(created.getMetadata().getLabels()).doesNotContainKey("mutated-by");
    assertThat(reviews).noneMatch(r -> r.path("request").path("name").asText().equals("skipped"));
  }

  @Test
  void denialCarriesTheWebhooksMessage() {
    Status s = expectStatus(403, "Forbidden", () -> client.pods().inNamespace("wh-on")
        .resource(pod("denied", Map.of("deny", "true"))).create());
    assertThat(s.getMessage()).isEqualTo("admission webhook \"label.example.com\" denied the request: pods labelled "
        + "deny=true are not welcome");
    assertThat(client.pods().inNamespace("wh-on").withName("denied").get()).isNull();
  }

  @Test
  void failurePolicyFailRejectsWhenTheWebhookIsDown() {
    Status s = expectStatus(500, "InternalError", () -> client.pods().inNamespace("wh-fail")
        .resource(pod("no-webhook", Map.of())).create());
    assertThat(s.getMessage()).startsWith("Internal error occurred: failed calling webhook \"fail.example.com\"");
    assertThat(client.pods().inNamespace("wh-fail").withName("no-webhook").get()).isNull();
  }

  @Test
  void failurePolicyIgnoreAdmitsWhenTheWebhookIsDown() {
    Pod created = client.pods().inNamespace("wh-ignore").resource(pod("admitted", Map.of("app", "x"))).create();
    assertThat(created.getMetadata().getLabels()).containsOnlyKeys("app");
  }
}
