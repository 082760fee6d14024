package io.pontoon.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * Observed state of a namespace's offloading.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamespaceOffloadingStatus implements ConditionedStatus {

  @JsonPropertyDescription("Overall state, summarising the clusters.")
  private OffloadingPhase phase;

  @JsonPropertyDescription("Name of the twin namespaces.")
  private String remoteNamespaceName;

  @JsonPropertyDescription("One entry per selected provider.")
  private List<TwinNamespaceStatus> clusters = new ArrayList<>();

  @JsonPropertyDescription("Conditions in the metav1.Condition shape, one per type.")
  @SchemaFrom(type = ConditionSchema[].class)
  private List<Condition> conditions = new ArrayList<>();

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
    if (!(o instanceof NamespaceOffloadingStatus that)) {
      return false;
    }
    return Objects.equals(phase, that.phase)
        && Objects.equals(remoteNamespaceName, that.remoteNamespaceName)
        && Objects.equals(clusters, that.clusters)
        && Objects.equals(conditions, that.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, remoteNamespaceName, clusters, conditions);
  }

  @Override
  public String toString() {
    return "NamespaceOffloadingStatus{"
        + "phase=" + phase
        + ", remoteNamespaceName=" + remoteNamespaceName
        + ", clusters=" + clusters
        + ", conditions=" + conditions
        + "}";
  }
}
