package io.pontoon.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Resources the provider granted; its ShadowPod quota enforces them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceSliceStatus implements ConditionedStatus {

  @JsonPropertyDescription(
      "Granted resources: cpu, memory, pods, ephemeral-storage. The virtual node's "
          + "capacity.")
  private Map<String, Quantity> resources;

  @JsonPropertyDescription("Conditions in the metav1.Condition shape, one per type.")
  @SchemaFrom(type = ConditionSchema[].class)
  private List<Condition> conditions = new ArrayList<>();

  public Map<String, Quantity> getResources() {
    return resources;
  }

  public void setResources(Map<String, Quantity> resources) {
    this.resources = resources;
  }

  @Override
  public List<Condition> getConditions() {
    // Never null, so Conditions.set works on objects read with "conditions: null".
    if (conditions == null) {
      conditions = new ArrayList<>();
    }
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
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
        && Objects.equals(conditions, that.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(resources, conditions);
  }

  @Override
  public String toString() {
    return "ResourceSliceStatus{"
        + "resources=" + resources
        + ", conditions=" + conditions
        + "}";
  }
}
