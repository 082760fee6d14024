package io.pontoon.peering.handshake;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The JSON bodies of the peering protocol (version v1). */
public final class Messages {
  private Messages() {}

  /** A cluster's public identity. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClusterRef(String id, String name) {}

  /** A cluster's own address ranges. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Network(String podCIDR, String serviceCIDR) {}

  /** {@code GET /v1/identity}; the network lets a consumer assign the provider's block before it asks. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Identity(String id, String name, String fingerprint, String version, Network network) {}

  /**
   * {@code POST /v1/peerings}: what the consumer's agent sends; {@code assignedPodCIDR} is the
   * block under which the consumer shows the provider's pods.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HandshakeRequest(
      String token, ClusterRef cluster, String csr, Network network, String wireGuardPublicKey,
      String assignedPodCIDR, Map<String, String> resources) {
    @Override
    public String toString() {
      return "HandshakeRequest{cluster=" + cluster + ", network=" + network + ", assignedPodCIDR=" + assignedPodCIDR + ", resources=" + resources + "}";
    }
  }

  /** The provider's API server, as the consumer must reach it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ApiServer(String url, String caData) {}

  /** The provider's gateway: where the consumer's gateway connects and which key it expects. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Gateway(String endpoint, String publicKey) {}

  /**
   * The provider's answer to a successful handshake; {@code assignedPodCIDR} is the block under
   * which the provider shows the consumer's pods.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HandshakeResponse(
      ClusterRef cluster, ApiServer apiServer, String certificate, Network network,
      String assignedPodCIDR, Gateway gateway, String tenantNamespace,
      Map<String, String> grantedResources) {}

  /** Every refusal: a machine-readable reason and a sentence for people. */
  public record ErrorBody(String reason, String message) {}
}
