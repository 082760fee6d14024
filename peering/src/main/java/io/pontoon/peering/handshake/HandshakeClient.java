package io.pontoon.peering.handshake;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pontoon.api.PontoonNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The consumer's side of the peering protocol: every call is pinned to the provider's
 * fingerprint, and failures become {@link PeeringException}s whose reason names the step.
 */
public final class HandshakeClient {
  static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final Duration timeout;

  public HandshakeClient(Duration timeout) {
    this.timeout = timeout;
  }

  public Messages.Identity identity(String url, String fingerprint) {
    PinnedTls pin = new PinnedTls(fingerprint);
    HttpRequest req = HttpRequest.newBuilder(uri(url, "/v1/identity")).timeout(timeout).GET().build();
    return send(pin, pin.context(), req, Messages.Identity.class, url);
  }

  public Messages.HandshakeResponse handshake(String url, String fingerprint, Messages.HandshakeRequest request) {
    PinnedTls pin = new PinnedTls(fingerprint);
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(request);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest req = HttpRequest.newBuilder(uri(url, "/v1/peerings")).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return send(pin, pin.context(), req, Messages.HandshakeResponse.class, url);
  }

  /** Asks the provider to remove this consumer's tenant, authenticated by the issued certificate. */
  public void unpeer(String url, String fingerprint, String consumerId, X509Certificate cert, PrivateKey key,
      boolean keepNamespaces) {
    PinnedTls pin = new PinnedTls(fingerprint);
    HttpRequest req = HttpRequest.newBuilder(uri(url, "/v1/peerings/" + consumerId
            + (keepNamespaces ? "?keepNamespaces=true" : "")))
        .timeout(timeout).DELETE().build();
    send(pin, pin.context(cert, key), req, Messages.ErrorBody.class, url);
  }

  private <T> T send(PinnedTls pin, SSLContext ctx, HttpRequest req, Class<T> type, String url) {
    SSLParameters params = new SSLParameters();
    params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    HttpClient http = HttpClient.newBuilder().sslContext(ctx).sslParameters(params)
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    {
      HttpResponse<byte[]> resp;
      try {
        resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        if (pin.mismatched()) {
          throw new PeeringException(0, PontoonNames.Reasons.FINGERPRINT_MISMATCH,
              "the peering service at " + url + " presented certificate " + pin.seen() + ", expected "
                  + pin.expected() + "; nothing was sent. Check --fingerprint (a different cluster, or someone "
                  + "in the middle, answers at that address)");
        }
        throw new PeeringException(0, PontoonNames.Reasons.PEER_UNREACHABLE,
            "cannot reach the peering service at " + url + ": " + describe(e)
                + "; check the URL and that the provider's agent is running and reachable");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PeeringException(0, PontoonNames.Reasons.PEER_UNREACHABLE, "interrupted");
      }
      if (resp.statusCode() / 100 != 2) {
        Messages.ErrorBody err = null;
        try {
          err = JSON.readValue(resp.body(), Messages.ErrorBody.class);
        } catch (IOException | RuntimeException ignored) {
          // not one of ours: say what came back
        }
        if (err == null || err.reason() == null) {
          throw new PeeringException(resp.statusCode(), Reasons.INTERNAL,
              "the peering service at " + url + " answered HTTP " + resp.statusCode());
        }
        throw new PeeringException(resp.statusCode(), err.reason(), err.message());
      }
      try {
        return JSON.readValue(resp.body(), type);
      } catch (IOException e) {
        throw new PeeringException(resp.statusCode(), Reasons.INTERNAL,
            "the peering service at " + url + " sent an answer that is not understood: " + e.getMessage());
      }
    }
  }

  private static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getMessage() == null) t = t.getCause();
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }

  private static URI uri(String url, String path) {
    if (url == null || !url.matches(PontoonNames.HTTPS_URL_PATTERN)) {
      throw new PeeringException(0, Reasons.INVALID_REQUEST, "peering URL must be https://HOST:PORT, got " + url);
    }
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return URI.create(base + path);
  }
}
