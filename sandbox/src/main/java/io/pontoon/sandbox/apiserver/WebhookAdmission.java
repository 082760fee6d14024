package io.pontoon.sandbox.apiserver;

import io.pontoon.api.controller.Handlers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.auth.Pem;
import io.pontoon.sandbox.apiserver.patch.PatchType;
import io.pontoon.sandbox.apiserver.patch.Patches;
import io.pontoon.sandbox.apiserver.resources.ResourceRegistry;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.selection.LabelSelector;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mutating admission webhooks: MutatingWebhookConfigurations are matched by rules, namespace
 * and object selectors, called with an AdmissionReview v1 over HTTPS verified against their
 * {@code caBundle}, and their JSONPatch applied; {@code failurePolicy} decides what a failed call
 * means. Only {@code clientConfig.url} can be reached from the sandbox.
 */
final class WebhookAdmission {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookAdmission.class);

  private final ObjectStore store;
  private final ResourceRegistry registry;
  private final Map<String, HttpClient> clientsByCaBundle = new ConcurrentHashMap<>();

  WebhookAdmission(ObjectStore store, ResourceRegistry registry) {
    this.store = store;
    this.registry = registry;
  }

  ObjectNode mutate(ApiRequest req, ResourceType type, Admission.Operation op, ObjectNode obj, ObjectNode old) {
    if (type.group().equals("admissionregistration.k8s.io")) return obj;
    ResourceType configs = registry.byKey("mutatingwebhookconfigurations.admissionregistration.k8s.io").orElseThrow();
    List<ObjectNode> all = store.all(configs);
    if (all.isEmpty()) return obj;
    all.sort(Comparator.comparing(Meta::name));
    ObjectNode current = obj;
    for (ObjectNode config : all) {
      for (JsonNode hook : config.path("webhooks")) {
        if (!matches(hook, req, type, op, current, old)) continue;
        current = call(hook, req, type, op, current, old);
      }
    }
    return current;
  }

  private boolean matches(JsonNode hook, ApiRequest req, ResourceType type, Admission.Operation op,
      ObjectNode obj, ObjectNode old) {
    String sub = req.info().subresource();
    String resource = sub.isEmpty() ? type.plural() : type.plural() + "/" + sub;
    boolean ruleMatched = false;
    for (JsonNode rule : hook.path("rules")) {
      if (!contains(rule.path("operations"), op.name())) continue;
      if (!contains(rule.path("apiGroups"), type.group())) continue;
      if (!contains(rule.path("apiVersions"), req.info().version())) continue;
      if (!resourceMatches(rule.path("resources"), type.plural(), sub)) continue;
      String scope = rule.path("scope").asText("*");
      if (scope.equals("Cluster") && type.namespaced() || scope.equals("Namespaced") && !type.namespaced()) continue;
      ruleMatched = true;
      break;
    }
    if (!ruleMatched) return false;
    JsonNode nsSel = hook.get("namespaceSelector");
    if (nsSel != null && !nsSel.isNull() && (type.namespaced() || type.key().equals("namespaces"))) {
      Map<String, String> nsLabels;
      if (type.key().equals("namespaces")) {
        nsLabels = Meta.labels(obj);
      } else {
        ResourceType nsType = registry.byKey("namespaces").orElseThrow();
        nsLabels = store.get(nsType, "", Meta.namespace(obj)).map(Meta::labels).orElse(Map.of());
      }
      if (!LabelSelector.fromLabelSelector(nsSel).matches(nsLabels)) return false;
    }
    JsonNode objSel = hook.get("objectSelector");
    if (objSel != null && !objSel.isNull()) {
      LabelSelector sel = LabelSelector.fromLabelSelector(objSel);
      boolean any = sel.matches(Meta.labels(obj)) || old != null && sel.matches(Meta.labels(old));
      if (!any) return false;
    }
    return !resource.isEmpty();
  }

  private static boolean contains(JsonNode list, String value) {
    for (JsonNode v : list) {
      if (v.asText().equals("*") || v.asText().equals(value)) return true;
    }
    return false;
  }

  private static boolean resourceMatches(JsonNode resources, String plural, String sub) {
    for (JsonNode r : resources) {
      String s = r.asText();
      String[] parts = s.split("/", 2);
      String res = parts[0];
      String rsub = parts.length > 1 ? parts[1] : "";
      boolean resOk = res.equals("*") || res.equals(plural);
      boolean subOk = rsub.equals("*") || rsub.equals(sub);
      if (resOk && subOk) return true;
    }
    return false;
  }

  private ObjectNode call(JsonNode hook, ApiRequest req, ResourceType type, Admission.Operation op,
      ObjectNode obj, ObjectNode old) {
    String name = hook.path("name").asText();
    boolean ignore = hook.path("failurePolicy").asText("Fail").equals("Ignore");
    try {
      return callOnce(hook, req, type, op, obj, old);
    } catch (ApiException e) {
      throw e;
    } catch (Exception e) {
      if (ignore) {
        LOG.warn("webhook {} failed and failurePolicy is Ignore: {}", name, e.getMessage());
        return obj;
      }
      throw new ApiException(500, "InternalError", "Internal error occurred: failed calling webhook \"" + name
          + "\": " + e.getMessage());
    }
  }

  private ObjectNode callOnce(JsonNode hook, ApiRequest req, ResourceType type, Admission.Operation op,
      ObjectNode obj, ObjectNode old) throws Exception {
    String name = hook.path("name").asText();
    JsonNode cc = hook.path("clientConfig");
    String url = cc.path("url").asText("");
    if (url.isEmpty()) {
      throw new IllegalStateException("failed to call webhook: the sandbox reaches webhooks only through "
          + "clientConfig.url; clientConfig.service is not routable here");
    }
    String uid = UUID.randomUUID().toString();
    ObjectNode review = Json.object();
    review.put("apiVersion", "admission.k8s.io/v1");
    review.put("kind", "AdmissionReview");
    ObjectNode r = review.putObject("request");
    r.put("uid", uid);
    ObjectNode kind = r.putObject("kind");
    kind.put("group", type.group());
    kind.put("version", req.info().version());
    kind.put("kind", type.kind());
    ObjectNode resource = r.putObject("resource");
    resource.put("group", type.group());
    resource.put("version", req.info().version());
    resource.put("resource", type.plural());
    r.set("requestKind", kind.deepCopy());
    r.set("requestResource", resource.deepCopy());
    if (!req.info().subresource().isEmpty()) r.put("subResource", req.info().subresource());
    r.put("name", Meta.name(obj));
    if (type.namespaced()) r.put("namespace", Meta.namespace(obj));
    r.put("operation", op.name());
    ObjectNode user = r.putObject("userInfo");
    user.put("username", req.user().name());
    if (req.user().uid() != null) user.put("uid", req.user().uid());
    ArrayNode groups = user.putArray("groups");
    req.user().groups().forEach(groups::add);
    r.set("object", obj);
    r.set("oldObject", old);
    r.put("dryRun", req.dryRun());
    ObjectNode options = r.putObject("options");
    options.put("apiVersion", "meta.k8s.io/v1");
    options.put("kind", op == Admission.Operation.CREATE ? "CreateOptions" : "UpdateOptions");

    int timeout = hook.path("timeoutSeconds").asInt(10);
    HttpClient client = clientFor(cc.path("caBundle").asText(""));
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + (url.contains("?") ? "&" : "?") + "timeout="
            + timeout + "s"))
        .timeout(Duration.ofSeconds(timeout))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(review)))
        .build();
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("failed to call webhook: the server responded with status "
          + response.statusCode());
    }
    JsonNode answer = Json.MAPPER.readTree(response.body()).path("response");
    if (!answer.path("uid").asText().equals(uid)) {
      throw new IllegalStateException("expected response.uid=\"" + uid + "\", got \""
          + answer.path("uid").asText() + "\"");
    }
    if (!answer.path("allowed").asBoolean(false)) {
      JsonNode st = answer.path("status");
      int code = st.path("code").asInt(0);
      String message = st.path("message").asText("");
      throw new ApiException(code == 0 ? 400 : code, st.path("reason").asText("BadRequest"),
          "admission webhook \"" + name + "\" denied the request" + (message.isEmpty() ? "" : ": " + message));
    }
    String patch = answer.path("patch").asText("");
    if (patch.isEmpty()) return obj;
    if (!answer.path("patchType").asText("JSONPatch").equals("JSONPatch")) {
      throw new IllegalStateException("unsupported patchType " + answer.path("patchType").asText());
    }
    byte[] ops = Base64.getDecoder().decode(patch);
    try {
      return Patches.apply(obj, ops, PatchType.JSON_PATCH, type.group(), type.kind());
    } catch (ApiException e) {
      throw new IllegalStateException("the webhook's JSONPatch does not apply: " + e.getMessage(), e);
    }
  }

  private HttpClient clientFor(String caBundle) {
    return clientsByCaBundle.computeIfAbsent(caBundle, b -> {
      try {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1);
        if (!b.isEmpty()) {
          KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
          ks.load(null, null);
          int i = 0;
          for (X509Certificate c : Pem.decodeCertificates(utf8(Base64.getDecoder().decode(b)))) {
            ks.setCertificateEntry("ca-" + i++, c);
          }
          TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
          tmf.init(ks);
          SSLContext ctx = SSLContext.getInstance("TLS");
          ctx.init(null, tmf.getTrustManagers(), null);
          builder.sslContext(ctx);
        }
        return builder.build();
      } catch (Exception e) {
        throw new ApiException(500, "InternalError", "Internal error occurred: the webhook caBundle is not usable: "
            + e.getMessage());
      }
    });
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
