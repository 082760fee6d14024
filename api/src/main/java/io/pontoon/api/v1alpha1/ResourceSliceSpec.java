package io.pontoon.api.v1alpha1;

import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Quantity;
import io.pontoon.api.PontoonNames;

/**
 * Resources a consumer asks a provider for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceSliceSpec {

  @JsonPropertyDescription("Cluster ID of the consumer, which runs pods on the provider.")
  @Required
  @Pattern(PontoonNames.CLUSTER_ID_PATTERN)
  private String consumerClusterID;

  @JsonPropertyDescription("Cluster ID of the provider, which grants the resources.")
  @Required
  @Pattern(PontoonNames.CLUSTER_ID_PATTERN)
  private String providerClusterID;

  @JsonPropertyDescription("Requested resources: cpu, memory, pods, ephemeral-storage.")
  @Required
  private Map<String, Quantity> resources;

  public String getConsumerClusterID() {
    return consumerClusterID;
  }

  public void setConsumerClusterID(String consumerClusterID) {
    this.consumerClusterID = consumerClusterID;
  }

  public String getProviderClusterID() {
    return providerClusterID;
  }

  public void setProviderClusterID(String providerClusterID) {
    this.providerClusterID = providerClusterID;
  }

  public Map<String, Quantity> getResources() {
    return resources;
  }

  public void setResources(Map<String, Quantity> resources) {
    this.resources = resources;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ResourceSliceSpec that)) {
      return false;
    }
    return Objects.equals(consumerClusterID, that.consumerClusterID)
        && Objects.equals(providerClusterID, that.providerClusterID)
        && Objects.equals(resources, that.resources);
  }

  @Override
  public int hashCode() {
    return Objects.hash(consumerClusterID, providerClusterID, resources);
  }

  @Override
  public String toString() {
    return "ResourceSliceSpec{"
        + "consumerClusterID=" + consumerClusterID
        + ", providerClusterID=" + providerClusterID
        + ", resources=" + resources
        + "}";
  }
}
