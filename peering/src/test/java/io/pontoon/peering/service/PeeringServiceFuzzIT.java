package io.pontoon.peering.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.api.v1alpha1.ResourceSlice;
import io.pontoon.peering.handshake.ConsumerCsr;
import io.pontoon.peering.handshake.PinnedTls;
import io.pontoon.peering.handshake.ProviderFixture;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sends 1,500 malformed or hostile requests to a real peering service: random bytes, every field
 * of a valid request replaced by wrong types and shapes, unknown fields, deep nesting, duplicate
 * keys, oversized bodies, odd methods, paths and headers, and raw malformed HTTP. Nothing may
 * answer 5xx, nothing may be created, and the heap stays flat.
 */
@ExtendWith(SandboxExtension.class)
class PeeringServiceFuzzIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CASES = 1500;

  @Test
  void hostileRequestsGetNo5xxAndCreateNothing(SandboxApiServer server) throws Exception {
    try (ProviderFixture provider = new ProviderFixture(server, "fuzzed")) {
      String base = provider.agent.peeringUrl();
      PinnedTls pin = new PinnedTls(provider.agent.fingerprint());
      HttpClient http = HttpClient.newBuilder().sslContext(pin.context()).version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      long namespacesBefore = provider.client.namespaces().list().getItems().size();
      Random rnd = new Random(42);
      String csr = ConsumerCsr.generate(UUID.randomUUID().toString()).csrPem();
      Map<Integer, Integer> statuses = new TreeMap<>();
      long heapBefore = 0;
      List<String> fiveXx = new ArrayList<>();
      for (int i = 0; i < CASES; i++) {
        if (i == 200) heapBefore = usedHeapAfterGc();
        int status;
        String label;
        if (i % 10 == 9) {
          label = "raw#" + i;
          status = raw(base, rawRequest(rnd, i), pin);
        } else {
          Case c = httpCase(rnd, i, csr);
          label = c.label;
          HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + c.path)).timeout(Duration.ofSeconds(20));
          c.headers.forEach((k, v) -> {
            try {
              b.header(k, v);
            } catch (IllegalArgumentException ignored) {
              // the JDK refuses some header names outright; the raw cases cover them
            }
          });
          b.method(c.method, c.body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body));
          try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            status = r.statusCode();
            assertThat(r.body()).as(label).doesNotContain("Exception", "\tat ");
          } catch (java.io.IOException e) {
            status = -1; // the server closed the connection (oversized or malformed): not a 5xx
          }
        }
        statuses.merge(status, 1, Integer::sum);
        if (status >= 500) fiveXx.add(label + " -> " + status);
      }
      long heapAfter = usedHeapAfterGc();
      System.out.printf("fuzz: %d requests, statuses %s, heap after GC %d MiB -> %d MiB%n", CASES, statuses,
          heapBefore >> 20, heapAfter >> 20);
      assertThat(fiveXx).isEmpty();
      assertThat(provider.client.namespaces().list().getItems()).hasSize((int) namespacesBefore);
      assertThat(provider.client.namespaces().withLabel(PontoonNames.LABEL_TYPE, PontoonNames.TYPE_TENANT_NAMESPACE)
          .list().getItems()).isEmpty();
      assertThat(provider.client.certificates().v1().certificateSigningRequests().list().getItems()).isEmpty();
      assertThat(provider.client.resources(ResourceSlice.class).inAnyNamespace().list().getItems()).isEmpty();
      assertThat(provider.client.resources(ForeignCluster.class).list().getItems()).isEmpty();
      // The service still works afterwards.
      var id = new io.pontoon.peering.handshake.HandshakeClient(Duration.ofSeconds(10))
          .identity(base, provider.agent.fingerprint());
      assertThat(id.name()).isEqualTo("fuzzed");
      // Flat: the in-process API server, agent and test share this heap; 64 MiB is far below a leak of 1,500 bodies.
      assertThat(heapAfter - heapBefore).isLessThan(64L << 20);
    }
  }

  private record Case(String label, String method, String path, Map<String, String> headers, byte[] body) {}

  private static Case httpCase(Random rnd, int i, String csr) throws Exception {
    Map<String, String> h = new java.util.HashMap<>();
    h.put("Content-Type", "application/json");
    String path = "/v1/peerings";
    String method = "POST";
    byte[] body;
    switch (i % 9) {
      case 0 -> {
        body = new byte[rnd.nextInt(3000)];
        rnd.nextBytes(body);
      }
      case 1, 2, 3 -> body = JSON.writeValueAsBytes(mutate(rnd, valid(csr)));
      case 4 -> body = ("{\"token\":" + "[".repeat(200 + rnd.nextInt(5000)) + "}").getBytes(StandardCharsets.UTF_8);
      case 5 -> {
        body = new byte[64 * 1024 + 1 + rnd.nextInt(100_000)];
        java.util.Arrays.fill(body, (byte) 'a');
      }
      case 6 -> {
        String[] methods = {"GET", "PUT", "PATCH", "DELETE", "OPTIONS", "POST"};
        String[] paths = {"/v1/peerings/../../etc/passwd", "/v1/peerings/" + UUID.randomUUID(), "/v1/peerings/%00",
            "/v1/identity?x=" + "y".repeat(rnd.nextInt(1500)), "/", "/v2/peerings", "/v1/peerings/a/b", "/v1/identity"};
        method = methods[rnd.nextInt(methods.length)];
        path = paths[rnd.nextInt(paths.length)];
        body = rnd.nextBoolean() ? null : "{}".getBytes(StandardCharsets.UTF_8);
      }
      case 7 -> {
        body = JSON.writeValueAsBytes(valid(csr));
        h.put("Content-Type", List.of("text/plain", "application/xml", "multipart/form-data; boundary=x", "").get(rnd.nextInt(4)));
        h.put("X-Hostile-" + rnd.nextInt(1000), "v".repeat(rnd.nextInt(4000)));
        h.put("Transfer-Encoding-Not", "chunked, gzip");
        h.put("Content-Encoding", "gzip");
      }
      default -> {
        // Well-formed requests whose token is wrong: the rate limiter starts answering 429.
        ObjectNode v = valid(csr);
        v.put("token", String.format("%016x", rnd.nextLong()) + "." + "Q".repeat(43));
        body = JSON.writeValueAsBytes(v);
      }
    }
    return new Case("case" + (i % 9) + "#" + i, method, path, h, body);
  }

  private static ObjectNode valid(String csr) {
    ObjectNode n = JSON.createObjectNode();
    n.put("token", "0123456789abcdef." + "T".repeat(43));
    n.putObject("cluster").put("id", UUID.randomUUID().toString()).put("name", "fuzzer");
    n.put("csr", csr);
    n.putObject("network").put("podCIDR", "10.244.0.0/16").put("serviceCIDR", "10.96.0.0/12");
    n.put("assignedPodCIDR", "10.0.0.0/16");
    n.putObject("resources").put("cpu", "2").put("memory", "4Gi");
    return n;
  }

  private static ObjectNode mutate(Random rnd, ObjectNode n) {
    Object[] hostile = {null, 42, -1.5e308, true, "", "x".repeat(20_000), "\u0000\u202e\ud83d\ude00", "../../",
        "<script>", "'; DROP TABLE --", List.of(1, 2), Map.of("$ne", "")};
    String[][] paths = {{"token"}, {"cluster"}, {"cluster", "id"}, {"cluster", "name"}, {"csr"}, {"network"},
        {"network", "podCIDR"}, {"network", "serviceCIDR"}, {"resources", "cpu"}, {"resources"}, {"wireGuardPublicKey"},
        {"assignedPodCIDR"}};
    int edits = 1 + rnd.nextInt(3);
    for (int e = 0; e < edits; e++) {
      String[] p = paths[rnd.nextInt(paths.length)];
      ObjectNode parent = p.length == 1 ? n : n.has(p[0]) && n.get(p[0]).isObject() ? (ObjectNode) n.get(p[0]) : n;
      String field = p[p.length - 1];
      switch (rnd.nextInt(4)) {
        case 0 -> parent.remove(field);
        case 1 -> parent.set(field, JSON.valueToTree(hostile[rnd.nextInt(hostile.length)]));
        case 2 -> parent.put("unknown" + rnd.nextInt(100), "x");
        default -> parent.put(field, "999.999.999.999/99");
      }
    }
    return n;
  }

  private static byte[] rawRequest(Random rnd, int i) {
    String[] raws = {
      "POST /v1/peerings HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}",
      "POST /v1/peerings HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n{}",
      "POST /v1/peerings HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
      "POST /v1/peerings HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nxx\r\n0\r\n\r\n",
      "POST /v1/peerings HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + "ffff\r\n" + "a".repeat(100) + "\r\n",
      "GARBAGE\r\n\r\n",
      "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /v1/identity HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n",
      "POST /v1/peerings HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}",
      "GET /v1/identity HTTP/9.9\r\n\r\n",
      "POST /v1/peerings HTTP/1.1\r\nHost: x\r\n\u0000Bad: h\r\n\r\n",
    };
    return raws[(i / 10 + rnd.nextInt(3)) % raws.length].getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Writes raw bytes over pinned TLS and returns the status code, or -1 when closed without one. */
  private static int raw(String base, byte[] request, PinnedTls pin) {
    URI u = URI.create(base);
    try (SSLSocket s = (SSLSocket) pin.context().getSocketFactory().createSocket(u.getHost(), u.getPort())) {
      // A request the server waits on (an unfinished chunk) is not an answer, and not a 5xx either.
      s.setSoTimeout(2_000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = s.getInputStream();
      byte[] head = in.readNBytes(12);
      String line = new String(head, StandardCharsets.ISO_8859_1);
      return line.startsWith("HTTP/1.") && line.length() >= 12 ? Integer.parseInt(line.substring(9, 12)) : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  /** Used heap once collections stop freeing more than 1 MiB (finalizers and references settled). */
  private static long usedHeapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    long[] last = {Long.MAX_VALUE};
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
          memory.gc();
          long used = memory.getHeapMemoryUsage().getUsed();
          boolean settled = last[0] - used < 1024 * 1024;
          last[0] = used;
          return settled;
        });
    return last[0];
  }
}
