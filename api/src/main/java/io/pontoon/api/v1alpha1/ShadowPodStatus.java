package io.pontoon.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.PodStatus;

/**
 * Observed state of the provider's Pod.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShadowPodStatus extends ConditionedStatus {

  @JsonPropertyDescription(
      "Status of the provider's Pod, copied as is; the consumer translates its IPs.")
  private PodStatus pod;


  public PodStatus getPod() {
    return pod;
  }

  public void setPod(PodStatus pod) {
    this.pod = pod;
  }



  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ShadowPodStatus that)) {
      return false;
    }
    return Objects.equals(pod, that.pod)
        && Objects.equals(getConditions(), that.getConditions());
  }

  @Override
  public int hashCode() {
    return Objects.hash(pod, getConditions());
  }

  @Override
  public String toString() {
    return "ShadowPodStatus{"
        + "pod=" + pod
        + ", conditions=" + getConditions()
        + "}";
  }
}
