package io.pontoon.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * Observed state of a NetworkConfig.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkConfigStatus implements ConditionedStatus {

  @JsonPropertyDescription("Conditions in the metav1.Condition shape, one per type.")
  @SchemaFrom(type = ConditionSchema[].class)
  private List<Condition> conditions = new ArrayList<>();

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
    if (!(o instanceof NetworkConfigStatus that)) {
      return false;
    }
    return Objects.equals(conditions, that.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(conditions);
  }

  @Override
  public String toString() {
    return "NetworkConfigStatus{"
        + "conditions=" + conditions
        + "}";
  }
}
