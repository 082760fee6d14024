package io.pontoon.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * What the provider did with a twin-namespace request; the Ready condition says why when it
 * is not Ready (for example NamespaceConflict when the namespace belongs to someone else).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TwinNamespaceRequestStatus extends ConditionedStatus {

  @JsonPropertyDescription("Pending, Ready, Failed or Terminating.")
  private TwinNamespacePhase phase;

  public TwinNamespacePhase getPhase() {
    return phase;
  }

  public void setPhase(TwinNamespacePhase phase) {
    this.phase = phase;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TwinNamespaceRequestStatus that)) {
      return false;
    }
    return Objects.equals(phase, that.phase) && Objects.equals(getConditions(), that.getConditions());
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, getConditions());
  }

  @Override
  public String toString() {
    return "TwinNamespaceRequestStatus{phase=" + phase + ", conditions=" + getConditions() + "}";
  }
}
