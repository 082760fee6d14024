package io.pontoon.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/** The generated schemas say what the annotations on the types mean to say. */
class GeneratedCrdTest {

  private static JsonNode version(String plural) {
    return CrdFiles.generated(plural).path("spec").path("versions").get(0);
  }

  private static JsonNode schema(String plural) {
    return version(plural).path("schema").path("openAPIV3Schema");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "foreignclusters", "resourceslices", "namespaceoffloadings",
        "shadowpods", "networkconfigs", "tunnels", "twinnamespaces"
      })
  void everyKindIsServedAsV1alpha1WithAStatusSubresourceAndStandardConditions(String plural) {
    JsonNode crd = CrdFiles.generated(plural);
    assertThat(crd.path("apiVersion").asText()).isEqualTo("apiextensions.k8s.io/v1");
    assertThat(crd.path("spec").path("group").asText()).isEqualTo("pontoon.io");
    assertThat(version(plural).path("name").asText()).isEqualTo("v1alpha1");
    assertThat(version(plural).path("storage").asBoolean()).isTrue();
    assertThat(version(plural).path("subresources").has("status")).isTrue();
    List<String> columns = new ArrayList<>();
    version(plural)
        .path("additionalPrinterColumns")
        .forEach(c -> columns.add(c.path("name").asText()));
    assertThat(columns).contains("Age");

    JsonNode condition =
        schema(plural).at("/properties/status/properties/conditions/items");
    assertThat(texts(condition.path("required")))
        .containsExactlyInAnyOrder("type", "status", "lastTransitionTime", "reason", "message");
    assertThat(texts(condition.at("/properties/status/enum")))
        .containsExactlyInAnyOrder("True", "False", "Unknown");
  }

  @Test
  void foreignClusterIsClusterScopedWithRequiredIdentity() {
    JsonNode crd = CrdFiles.generated("foreignclusters");
    assertThat(crd.at("/spec/scope").asText()).isEqualTo("Cluster");
    assertThat(texts(crd.at("/spec/names/shortNames"))).containsExactly("fc");
    JsonNode spec = schema("foreignclusters").at("/properties/spec");
    assertThat(texts(spec.path("required"))).containsExactlyInAnyOrder("clusterID", "clusterName");
    assertThat(texts(spec.at("/properties/discoveryType/enum")))
        .containsExactlyInAnyOrder("Manual", "DNS", "LAN", "Incoming");
    assertThat(spec.at("/properties/discoveryType/default").asText()).isEqualTo("Manual");
    assertThat(spec.at("/properties/clusterID/x-kubernetes-validations/0/rule").asText())
        .isEqualTo("self == oldSelf");
    List<String> paths = new ArrayList<>();
    version("foreignclusters")
        .path("additionalPrinterColumns")
        .forEach(c -> paths.add(c.path("jsonPath").asText()));
    assertThat(paths).contains(".spec.clusterID", ".status.phase", ".metadata.creationTimestamp");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "resourceslices", "namespaceoffloadings", "shadowpods", "networkconfigs", "tunnels",
        "twinnamespaces"
      })
  void theOtherKindsAreNamespaced(String plural) {
    assertThat(CrdFiles.generated(plural).at("/spec/scope").asText()).isEqualTo("Namespaced");
  }

  @Test
  void tunnelDefaultsAndBounds() {
    JsonNode spec = schema("tunnels").at("/properties/spec");
    assertThat(spec.at("/properties/mtu/default").asInt()).isEqualTo(1420);
    assertThat(spec.at("/properties/listenPort/default").asInt()).isEqualTo(51820);
    assertThat(spec.at("/properties/endpoint/properties/port/maximum").asInt()).isEqualTo(65535);
    assertThat(texts(spec.path("required")))
        .containsExactlyInAnyOrder("remoteClusterID", "localKeySecretName", "remotePublicKey");
    // Only a reference to the Secret: no field can carry a private key.
    assertThat(spec.path("properties").toString()).doesNotContainIgnoringCase("privateKey\"");
    assertThat(texts(schema("tunnels").at("/properties/status/properties/state/enum")))
        .containsExactlyInAnyOrder("Up", "Down");
  }

  @Test
  void networkConfigCidrsArePatterned() {
    JsonNode local = schema("networkconfigs").at("/properties/spec/properties/local");
    assertThat(local.at("/properties/podCIDR/pattern").asText()).contains("/(3[0-2]|[12]?[0-9])$");
    assertThat(texts(local.path("required"))).containsExactly("podCIDR");
  }

  @Test
  void namespaceOffloadingValidatesTheSelectedName() {
    JsonNode spec = schema("namespaceoffloadings").at("/properties/spec");
    assertThat(spec.at("/x-kubernetes-validations/0/rule").asText()).contains("SelectedName");
    assertThat(texts(spec.at("/properties/podOffloadingStrategy/enum")))
        .containsExactlyInAnyOrder("Local", "Remote", "LocalAndRemote");
    assertThat(spec.at("/properties/clusterSelector/properties").has("matchExpressions")).isTrue();
  }

  @Test
  void shadowPodCarriesAFullPodSpecAndPodStatus() {
    JsonNode root = schema("shadowpods");
    assertThat(root.at("/properties/spec/properties/pod/properties/containers/type").asText())
        .isEqualTo("array");
    assertThat(root.at("/properties/status/properties/pod/properties/phase/type").asText())
        .isEqualTo("string");
    assertThat(texts(root.at("/properties/spec/required")))
        .contains("pod", "originClusterID", "homePodUID");
  }

  @Test
  void resourceQuantitiesAreIntOrString() {
    JsonNode resources = schema("resourceslices").at("/properties/spec/properties/resources");
    assertThat(resources.at("/additionalProperties/x-kubernetes-int-or-string").asBoolean())
        .isTrue();
  }
}
