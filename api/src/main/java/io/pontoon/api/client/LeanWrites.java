package io.pontoon.api.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes whose answer the caller does not use: sent through the client's own HTTP client (same
 * credentials, TLS and timeouts), with the answer read only when it is an error. fabric8's typed
 * operations turn every answer into an object; for controllers writing thousands of pods and
 * statuses, that parse was a large share of their CPU.
 *
 * <p>Failures throw {@link KubernetesClientException} carrying the server's {@link Status}, so
 * callers handle codes (404, 409, 422 …) as with the typed operations.
 */
public final class LeanWrites {
  private final KubernetesClient client;
  private final HttpClient http;
  private final String base;
  private final long timeoutMillis;

  public LeanWrites(KubernetesClient client) {
    this.client = client;
    this.http = client.getHttpClient();
    this.base = client.getMasterUrl().toString().replaceAll("/+$", "");
    int timeout = client.getConfiguration().getRequestTimeout();
    this.timeoutMillis = timeout > 0 ? timeout : 30_000;
  }

  /** POST of {@code object} into its namespace (or cluster scope when it has none). */
  public void create(HasMetadata object) {
    send("POST", collection(object.getClass(), object.getMetadata().getNamespace()), "application/json",
        client.getKubernetesSerialization().asJson(object));
  }

  /**
   * A PUT of {@code object} (its {@code subresource} when not null); its resourceVersion, when
   * set, makes a stale write fail with 409 as a typed update would.
   */
  public void update(HasMetadata object, String subresource) {
    String path = collection(object.getClass(), object.getMetadata().getNamespace()) + "/"
        + encode(object.getMetadata().getName()) + (subresource == null ? "" : "/" + subresource);
    send("PUT", path, "application/json", client.getKubernetesSerialization().asJson(object));
  }

  /** A patch of {@code kind}'s object {@code namespace/name}, of its {@code subresource} when not null. */
  public void patch(Class<? extends HasMetadata> kind, String namespace, String name, String subresource,
      PatchType type, String body) {
    String path = collection(kind, namespace) + "/" + encode(name) + (subresource == null ? "" : "/" + subresource);
    send("PATCH", path, type.getContentType(), body);
  }

  /** A DELETE of {@code namespace/name} with a {@code DeleteOptions} body given as JSON. */
  public void delete(Class<? extends HasMetadata> kind, String namespace, String name, String deleteOptions) {
    send("DELETE", collection(kind, namespace) + "/" + encode(name), "application/json", deleteOptions);
  }

  private String collection(Class<? extends HasMetadata> kind, String namespace) {
    String apiVersion = HasMetadata.getApiVersion(kind);
    String root = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    String ns = namespace == null || namespace.isEmpty() ? "" : "/namespaces/" + encode(namespace);
    return base + root + ns + "/" + HasMetadata.getPlural(kind);
  }

  private void send(String method, String url, String contentType, String body) {
    HttpRequest request = http.newHttpRequestBuilder().uri(url).method(method, contentType, body).build();
    HttpResponse<byte[]> response;
    try {
      response = http.sendAsync(request, byte[].class).get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException(method + " " + url + " interrupted", e);
    } catch (ExecutionException e) {
      throw new KubernetesClientException(method + " " + url + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new KubernetesClientException(method + " " + url + " had no answer within " + timeoutMillis + " ms", e);
    }
    if (response.isSuccessful()) return;
    throw new KubernetesClientException(status(response));
  }

  private Status status(HttpResponse<byte[]> response) {
    String text = response.body() == null ? "" : new String(response.body(), StandardCharsets.UTF_8);
    try {
      Status s = client.getKubernetesSerialization().unmarshal(text, Status.class);
      if (s != null && s.getCode() != null) return s;
    } catch (RuntimeException notAStatus) {
      // fall through: the answer was not a Status object
    }
    Status s = new Status();
    s.setCode(response.code());
    s.setMessage(text.isBlank() ? "HTTP " + response.code() : text);
    return s;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8);
  }
}
