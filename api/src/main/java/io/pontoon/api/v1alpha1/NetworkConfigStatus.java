package io.pontoon.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Observed state of a NetworkConfig.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkConfigStatus extends ConditionedStatus {




  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof NetworkConfigStatus that)) {
      return false;
    }
    return Objects.equals(getConditions(), that.getConditions());
  }

  @Override
  public int hashCode() {
    return Objects.hash(getConditions());
  }

  @Override
  public String toString() {
    return "NetworkConfigStatus{"
        + "conditions=" + getConditions()
        + "}";
  }
}
