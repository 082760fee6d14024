package io.pontoon.peering.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HandshakeSchemaTest {
  private static final String CSR = ConsumerCsr.generate(UUID.randomUUID().toString()).csrPem();
  private static final String TOKEN = "0123456789abcdef." + "A".repeat(43);

  static String body(String overrides) {
    return """
        {"token":"%s","cluster":{"id":"%s","name":"c1"},"csr":%s,
         "network":{"podCIDR":"10.244.0.0/16","serviceCIDR":"10.96.0.0/12"}%s}"""
        .formatted(TOKEN, "11111111-2222-3333-4444-555555555555", quote(CSR), overrides);
  }

  static String quote(String s) {
    return "\"" + s.replace("\n", "\\n") + "\"";
  }

  @Test
  void theNetworkExchangeParses() {
    String key = "x".repeat(42) + "A=";
    var r = HandshakeSchema.parse(body(",\"wireGuardPublicKey\":\"" + key + "\",\"assignedPodCIDR\":\"10.0.0.0/16\"")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(r.wireGuardPublicKey()).isEqualTo(key);
    assertThat(r.assignedPodCIDR()).isEqualTo("10.0.0.0/16");
    assertThat(HandshakeSchema.parse(body("").getBytes(StandardCharsets.UTF_8)).assignedPodCIDR()).isNull();
  }

  @Test
  void theProvidersAnswerIsCheckedBeforeUse() {
    String key = "x".repeat(42) + "A=";
    HandshakeSchema.checkResponse(answer("10.1.0.0/16", new Messages.Gateway("gw.example:51820", key)));
    HandshakeSchema.checkResponse(answer("10.1.0.0/16", new Messages.Gateway(null, key)));
    assertThat(badAnswer(answer(null, new Messages.Gateway("h:1", key)))).contains("assignedPodCIDR: required");
    assertThat(badAnswer(answer("10.1.0.0/33", new Messages.Gateway("h:1", key)))).contains("assignedPodCIDR: must be");
    assertThat(badAnswer(answer("10.1.0.0/16", new Messages.Gateway("h:1", "nope")))).contains("gateway.publicKey");
    assertThat(badAnswer(answer("10.1.0.0/16", new Messages.Gateway("h 1:x", key)))).contains("gateway.endpoint");
    assertThat(badAnswer(answer("10.1.0.0/16", null))).contains("gateway: required");
  }

  private static Messages.HandshakeResponse answer(String assigned, Messages.Gateway gw) {
    return new Messages.HandshakeResponse(new Messages.ClusterRef("11111111-2222-3333-4444-555555555555", "p"), null, null,
        new Messages.Network("10.244.0.0/16", "10.96.0.0/12"), assigned, gw, "pontoon-tenant-c1", java.util.Map.of());
  }

  private static String badAnswer(Messages.HandshakeResponse r) {
    PeeringException e = catchThrowableOfType(PeeringException.class, () -> HandshakeSchema.checkResponse(r));
    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(HandshakeSchema.INVALID_RESPONSE);
    return e.getMessage();
  }

  @Test
  void aValidRequestParses() {
    var r = HandshakeSchema.parse(body(",\"resources\":{\"cpu\":\"500m\",\"memory\":\"4Gi\"}").getBytes(StandardCharsets.UTF_8));
    assertThat(r.cluster().name()).isEqualTo("c1");
    assertThat(r.resources()).containsEntry("cpu", "500m").containsEntry("memory", "4Gi");
    assertThat(r.toString()).doesNotContain(TOKEN);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      ",\"extra\":1|extra: unknown field",
      ",\"resources\":{\"gpu\":\"1\"}|resources.gpu: unknown field",
      ",\"resources\":{\"cpu\":\"lots\"}|resources.cpu: must be a quantity",
      ",\"resources\":{\"cpu\":2}|resources.cpu: must be a string",
      ",\"wireGuardPublicKey\":\"abc\"|wireGuardPublicKey: must be a WireGuard public key",
      ",\"assignedPodCIDR\":\"10.0.0.0\"|assignedPodCIDR: must be an IPv4 CIDR",
      ",\"assignedPodCIDR\":16|assignedPodCIDR: must be a string",
      ",\"token\":\"x\"|the body is not valid JSON"})
  void badFieldsAreNamed(String extra, String expected) {
    PeeringException e = catchThrowableOfType(PeeringException.class,
        () -> HandshakeSchema.parse(body(extra).getBytes(StandardCharsets.UTF_8)));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).contains(expected);
  }

  @Test
  void shapesAndPatternsAreChecked() {
    assertThat(fail("[]")).contains("must be a JSON object");
    assertThat(fail(body("").replace("10.244.0.0/16", "10.244.0.0/33"))).contains("network.podCIDR: must be an IPv4 CIDR");
    assertThat(fail(body("").replace("\"c1\"", "\"C_1\""))).contains("cluster.name: must be a DNS-1123 label");
    assertThat(fail(body("").replace("11111111-2222", "zz"))).contains("cluster.id: must be a lowercase UUID");
    assertThat(fail(body("").replace(TOKEN, "short"))).contains("token: malformed");
    assertThat(fail(body("").replace("CERTIFICATE REQUEST", "CERTIFICATE"))).contains("csr: must be one PEM");
    assertThat(fail("{\"token\":" + "[".repeat(100) + "]".repeat(100) + "}")).contains("not valid JSON");
    assertThat(fail("\u0000\u0001")).contains("not valid JSON");
    assertThat(fail("{\"\\u0007evil\":1}")).contains("?evil: unknown field");
  }

  private static String fail(String body) {
    return catchThrowableOfType(PeeringException.class,
        () -> HandshakeSchema.parse(body.getBytes(StandardCharsets.UTF_8))).getMessage();
  }
}
