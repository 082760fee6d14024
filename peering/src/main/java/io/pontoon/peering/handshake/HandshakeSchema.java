package io.pontoon.peering.handshake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pontoon.api.PontoonNames;
import io.pontoon.peering.token.TokenStore;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The strict schema of {@code POST /v1/peerings}: exactly the known fields, each of the right
 * type and shape. Anything else is refused with a message naming the field, before any work.
 */
public final class HandshakeSchema {
  static final int MAX_CSR_LENGTH = 8192;
  private static final Pattern UUID = Pattern.compile(PontoonNames.CLUSTER_ID_PATTERN);
  private static final Pattern LABEL = Pattern.compile(PontoonNames.DNS1123_LABEL_PATTERN);
  private static final Pattern CIDR = Pattern.compile(PontoonNames.IPV4_CIDR_PATTERN);
  private static final Pattern WG_KEY = Pattern.compile(PontoonNames.WIREGUARD_KEY_PATTERN);
  private static final Pattern ENDPOINT = Pattern.compile("^([^\\s:\\[\\]]+|\\[[0-9a-fA-F:.]+\\]):[0-9]{1,5}$");
  /** Reason when the provider's answer fails the checks. */
  public static final String INVALID_RESPONSE = "InvalidResponse";
  private static final Pattern QUANTITY =
      Pattern.compile("^[0-9]{1,15}(\\.[0-9]{1,6})?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$");
  private static final Pattern CSR_PEM = Pattern.compile(
      "^-----BEGIN CERTIFICATE REQUEST-----\\r?\\n[A-Za-z0-9+/=\\r\\n]+-----END CERTIFICATE REQUEST-----\\r?\\n?$");
  private static final Set<String> RESOURCES = Set.of("cpu", "memory", "pods", "ephemeral-storage");
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxStringLength(16384)
          .maxNumberLength(32).build())
      .build()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private HandshakeSchema() {}

  public static Messages.HandshakeRequest parse(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException | RuntimeException e) {
      throw invalid("the body is not valid JSON");
    }
    if (root == null || !root.isObject()) throw invalid("the body must be a JSON object");
    only(root, "", Set.of("token", "cluster", "csr", "network", "wireGuardPublicKey", "assignedPodCIDR", "resources"));
    String token = string(root, "token", true, 128);
    if (!TokenStore.TOKEN_PATTERN.matcher(token).matches()) {
      throw invalid("token: malformed; copy it whole from the 'pontoon token' output");
    }
    JsonNode cluster = object(root, "cluster", true);
    only(cluster, "cluster.", Set.of("id", "name"));
    String id = match(cluster, "cluster.", "id", UUID, 36, "a lowercase UUID");
    String name = match(cluster, "cluster.", "name", LABEL, 63, "a DNS-1123 label");
    String csr = string(root, "csr", true, MAX_CSR_LENGTH);
    if (!CSR_PEM.matcher(csr).matches()) throw invalid("csr: must be one PEM CERTIFICATE REQUEST block");
    JsonNode network = object(root, "network", true);
    only(network, "network.", Set.of("podCIDR", "serviceCIDR"));
    String pod = match(network, "network.", "podCIDR", CIDR, 18, "an IPv4 CIDR");
    String svc = match(network, "network.", "serviceCIDR", CIDR, 18, "an IPv4 CIDR");
    String wg = root.has("wireGuardPublicKey")
        ? match(root, "", "wireGuardPublicKey", WG_KEY, 44, "a WireGuard public key (32 bytes, base64)")
        : null;
    String assigned = root.has("assignedPodCIDR")
        ? match(root, "", "assignedPodCIDR", CIDR, 18, "an IPv4 CIDR (the block the consumer shows our pods under)")
        : null;
    Map<String, String> resources = new LinkedHashMap<>();
    JsonNode res = object(root, "resources", false);
    if (res != null) {
      only(res, "resources.", RESOURCES);
      for (String r : RESOURCES) {
        if (res.has(r)) resources.put(r, match(res, "resources.", r, QUANTITY, 32, "a quantity such as 4, 500m or 8Gi"));
      }
    }
    return new Messages.HandshakeRequest(token, new Messages.ClusterRef(id, name), csr,
        new Messages.Network(pod, svc), wg, assigned, resources);
  }

  /**
   * The network part of the provider's answer, checked by the consumer before it writes
   * anything from it: CIDRs, the gateway's key and endpoint.
   */
  public static void checkResponse(Messages.HandshakeResponse resp) {
    if (resp.network() == null) throw badAnswer("network: required");
    answer("network.podCIDR", resp.network().podCIDR(), CIDR, true, "an IPv4 CIDR");
    answer("network.serviceCIDR", resp.network().serviceCIDR(), CIDR, false, "an IPv4 CIDR");
    answer("assignedPodCIDR", resp.assignedPodCIDR(), CIDR, true, "an IPv4 CIDR");
    if (resp.gateway() == null) throw badAnswer("gateway: required");
    answer("gateway.publicKey", resp.gateway().publicKey(), WG_KEY, true, "a WireGuard public key");
    answer("gateway.endpoint", resp.gateway().endpoint(), ENDPOINT, false, "HOST:PORT");
  }

  private static void answer(String field, String value, Pattern p, boolean required, String what) {
    if (value == null) {
      if (required) throw badAnswer(field + ": required");
      return;
    }
    if (value.length() > 300 || !p.matcher(value).matches()) throw badAnswer(field + ": must be " + what);
  }

  private static PeeringException badAnswer(String message) {
    return new PeeringException(0, INVALID_RESPONSE, "the provider's handshake answer is not usable: " + message
        + "; the provider runs an incompatible or broken agent");
  }

  private static void only(JsonNode node, String path, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) throw invalid(path + printable(f) + ": unknown field");
    }
  }

  private static JsonNode object(JsonNode parent, String field, boolean required) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      if (required) throw invalid(field + ": required");
      return null;
    }
    if (!n.isObject()) throw invalid(field + ": must be an object");
    return n;
  }

  private static String string(JsonNode parent, String field, boolean required, int max) {
    return string(parent, field, field, max);
  }

  /** A required string; {@code label} is the field's path in messages. */
  private static String string(JsonNode parent, String label, String field, int max) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) throw invalid(label + ": required");
    if (!n.isTextual()) throw invalid(label + ": must be a string");
    if (n.textValue().length() > max) throw invalid(label + ": longer than " + max + " characters");
    return n.textValue();
  }

  private static String match(JsonNode parent, String path, String field, Pattern p, int max, String what) {
    String v = string(parent, path + field, field, max);
    if (!p.matcher(v).matches()) throw invalid(path + field + ": must be " + what);
    return v;
  }

  /** Field names come from the caller: never echo control characters or long names back. */
  private static String printable(String s) {
    String t = s.replaceAll("[^A-Za-z0-9_.-]", "?");
    return t.length() > 40 ? t.substring(0, 40) + "…" : t;
  }

  public static PeeringException invalid(String message) {
    return new PeeringException(400, Reasons.INVALID_REQUEST, "invalid handshake request: " + message);
  }
}
