package io.pontoon.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Observed state of a namespace's offloading.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamespaceOffloadingStatus extends ConditionedStatus {

  @JsonPropertyDescription("Overall state, summarising the clusters.")
  private OffloadingPhase phase;

  @JsonPropertyDescription("Name of the twin namespaces.")
  private String remoteNamespaceName;

  @JsonPropertyDescription("One entry per selected provider.")
  private List<TwinNamespaceStatus> clusters = new ArrayList<>();


  public OffloadingPhase getPhase() {
    return phase;
  }

  public void setPhase(OffloadingPhase phase) {
    this.phase = phase;
  }

  public String getRemoteNamespaceName() {
    return remoteNamespaceName;
  }

  public void setRemoteNamespaceName(String remoteNamespaceName) {
    this.remoteNamespaceName = remoteNamespaceName;
  }

  public List<TwinNamespaceStatus> getClusters() {
    return clusters;
  }

  public void setClusters(List<TwinNamespaceStatus> clusters) {
    this.clusters = clusters;
  }



  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof NamespaceOffloadingStatus that)) {
      return false;
    }
    return Objects.equals(phase, that.phase)
        && Objects.equals(remoteNamespaceName, that.remoteNamespaceName)
        && Objects.equals(clusters, that.clusters)
        && Objects.equals(getConditions(), that.getConditions());
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, remoteNamespaceName, clusters, getConditions());
  }

  @Override
  public String toString() {
    return "NamespaceOffloadingStatus{"
        + "phase=" + phase
        + ", remoteNamespaceName=" + remoteNamespaceName
        + ", clusters=" + clusters
        + ", conditions=" + getConditions()
        + "}";
  }
}
