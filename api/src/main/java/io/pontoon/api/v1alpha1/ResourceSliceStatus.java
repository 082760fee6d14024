package io.pontoon.api.v1alpha1;

import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Resources the provider granted; its ShadowPod quota enforces them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceSliceStatus extends ConditionedStatus {

  @JsonPropertyDescription(
      "Granted resources: cpu, memory, pods, ephemeral-storage. The virtual node's "
          + "capacity.")
  private Map<String, Quantity> resources;


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
    if (!(o instanceof ResourceSliceStatus that)) {
      return false;
    }
    return Objects.equals(resources, that.resources)
        && Objects.equals(getConditions(), that.getConditions());
  }

  @Override
  public int hashCode() {
    return Objects.hash(resources, getConditions());
  }

  @Override
  public String toString() {
    return "ResourceSliceStatus{"
        + "resources=" + resources
        + ", conditions=" + getConditions()
        + "}";
  }
}
