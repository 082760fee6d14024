package io.pontoon.sandbox.conformance;

import static io.pontoon.sandbox.conformance.Fabric8Support.raw;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every error is a {@code Status} with the code and reason kube-apiserver gives. Malformed bodies
 * are sent with a raw HTTP client (admin token, cluster CA), since fabric8 only sends valid ones.
 */
@ExtendWith(SandboxExtension.class)
class Fabric8ErrorStatusIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode status(HttpResponse<String> resp, int code, String reason) throws Exception {
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(code);
    assertThat(resp.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct)
        .startsWith("application/json"));
    JsonNode s = JSON.readTree(resp.body());
    assertThat(s.path("kind").asText()).isEqualTo("Status");
    assertThat(s.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(s.path("status").asText()).isEqualTo("Failure");
    assertThat(s.path("code").asInt()).isEqualTo(code);
    assertThat(s.path("reason").asText()).isEqualTo(reason);
    return s;
  }

  @Test
  void malformedJsonIs400(SandboxApiServer server) throws Exception {
    var r = raw(server);
    status(r.send("POST", "/api/v1/namespaces/default/configmaps", "application/json", "{\"metadata\": {"), 400,
        "BadRequest");
    status(r.send("PUT", "/api/v1/namespaces/default/configmaps/x", "application/json", "[1,2"), 400, "BadRequest");
    // a JSON value that is not an object
    status(r.send("POST", "/api/v1/namespaces/default/configmaps", "application/json", "42"), 400, "BadRequest");
  }

  @Test
  void unknownResourcesAndObjectsAre404(SandboxApiServer server) throws Exception {
    var r = raw(server);
    JsonNode unknown = status(r.send("GET", "/api/v1/namespaces/default/frobnicators", null, (byte[]) null), 404,
        "NotFound");
    assertThat(unknown.path("message").asText()).isEqualTo("the server could not find the requested resource");
    status(r.send("GET", "/apis/nope.example.com/v1/things", null, (byte[]) null), 404, "NotFound");
    JsonNode missing = status(r.send("GET", "/api/v1/namespaces/default/configmaps/absent", null, (byte[]) null),
        404, "NotFound");
    assertThat(missing.path("message").asText()).isEqualTo("configmaps \"absent\" not found");
    assertThat(missing.path("details").path("name").asText()).isEqualTo("absent");
    assertThat(missing.path("details").path("kind").asText()).isEqualTo("configmaps");
    JsonNode group = status(r.send("GET", "/apis/apps/v1/namespaces/default/deployments/absent", null,
        (byte[]) null), 404, "NotFound");
    assertThat(group.path("message").asText()).isEqualTo("deployments.apps \"absent\" not found");
    assertThat(group.path("details").path("group").asText()).isEqualTo("apps");
  }

  @Test
  void bodiesOverThreeMebibytesAre413(SandboxApiServer server) throws Exception {
    char[] big = new char[3 * 1024 * 1024 + 1024];
    Arrays.fill(big, 'a');
    String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"huge\"},\"data\":{\"k\":\""
        + new String(big) + "\"}}";
    JsonNode s = status(raw(server).send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
        body.getBytes(StandardCharsets.UTF_8)), 413, "RequestEntityTooLarge");
    assertThat(s.path("message").asText()).isEqualTo("Request entity too large: limit is 3145728");
  }

  @Test
  void unsupportedPatchTypeIs415(SandboxApiServer server) throws Exception {
    var r = raw(server);
    assertThat(r.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
        "{\"metadata\":{\"name\":\"p415\"}}").statusCode()).isEqualTo(201);
    JsonNode s = status(r.send("PATCH", "/api/v1/namespaces/default/configmaps/p415", "application/xml",
        "<data/>"), 415, "UnsupportedMediaType");
    assertThat(s.path("message").asText()).startsWith("the body of the request was in an unknown format - accepted "
        + "media types include: application/json-patch+json, application/merge-patch+json");
  }

  @Test
  void invalidObjectsAre422WithCauses(SandboxApiServer server) throws Exception {
    JsonNode s = status(raw(server).send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
        "{\"metadata\":{\"name\":\"Upper_Case\",\"labels\":{\"bad key!\":\"v\"}}}"), 422, "Invalid");
    assertThat(s.path("details").path("kind").asText()).isEqualTo("ConfigMap");
    assertThat(s.path("details").path("name").asText()).isEqualTo("Upper_Case");
    assertThat(s.path("message").asText()).startsWith("ConfigMap \"Upper_Case\" is invalid: [metadata.name: ");
    assertThat(s.path("details").path("causes")).extracting(c -> c.path("field").asText())
        .contains("metadata.name", "metadata.labels");
  }

  @Test
  void missingCredentialsOrWrongMethodsAreStatusesToo(SandboxApiServer server) throws Exception {
    var r = raw(server);
    var anonymous = new Fabric8Support.Raw(r.http(), r.base(), "");
    // an empty bearer token is no credential at all: "Bearer " alone is rejected
    status(anonymous.send("GET", "/api/v1/namespaces", null, (byte[]) null), 401, "Unauthorized");
    status(r.send("PUT", "/api/v1/namespaces/default/configmaps", "application/json", "{}"), 405, "MethodNotAllowed");
  }
}
