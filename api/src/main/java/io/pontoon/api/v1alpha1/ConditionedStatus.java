package io.pontoon.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * A status with {@code metav1.Condition}s: the one place that holds them, so every kind's status
 * and every controller treats conditions the same way.
 */
public abstract class ConditionedStatus {

  @JsonPropertyDescription("Conditions in the metav1.Condition shape, one per type.")
  @SchemaFrom(type = ConditionSchema[].class)
  private List<Condition> conditions = new ArrayList<>();

  /** The mutable list of conditions, never null (also after reading {@code conditions: null}). */
  public List<Condition> getConditions() {
    if (conditions == null) {
      conditions = new ArrayList<>();
    }
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
