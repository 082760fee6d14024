package io.pontoon.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.pontoon.api.PontoonNames;

/**
 * How a namespace is offloaded: twin namespace names, where pods go, which providers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.namespaceMappingStrategy != 'SelectedName' || has(self.selectedNamespaceName)",
    message = "selectedNamespaceName is required with the SelectedName strategy")
public class NamespaceOffloadingSpec {

  @JsonPropertyDescription("How twin namespaces are named.")
  @Default("DefaultName")
  private NamespaceMappingStrategy namespaceMappingStrategy = NamespaceMappingStrategy.DefaultName;

  @JsonPropertyDescription("Twin namespace name for the SelectedName strategy.")
  @Pattern(PontoonNames.DNS1123_LABEL_PATTERN)
  @Size(max = PontoonNames.DNS1123_LABEL_MAX_LENGTH)
  private String selectedNamespaceName;

  @JsonPropertyDescription("Where the namespace's pods may run.")
  @Default("LocalAndRemote")
  private PodOffloadingStrategy podOffloadingStrategy = PodOffloadingStrategy.LocalAndRemote;

  @JsonPropertyDescription(
      "Virtual nodes (so providers) that get a twin namespace, by their labels; empty "
          + "selects every virtual node.")
  private NodeSelectorTerm clusterSelector;

  public NamespaceMappingStrategy getNamespaceMappingStrategy() {
    return namespaceMappingStrategy;
  }

  public void setNamespaceMappingStrategy(NamespaceMappingStrategy namespaceMappingStrategy) {
    this.namespaceMappingStrategy = namespaceMappingStrategy;
  }

  public String getSelectedNamespaceName() {
    return selectedNamespaceName;
  }

  public void setSelectedNamespaceName(String selectedNamespaceName) {
    this.selectedNamespaceName = selectedNamespaceName;
  }

  public PodOffloadingStrategy getPodOffloadingStrategy() {
    return podOffloadingStrategy;
  }

  public void setPodOffloadingStrategy(PodOffloadingStrategy podOffloadingStrategy) {
    this.podOffloadingStrategy = podOffloadingStrategy;
  }

  public NodeSelectorTerm getClusterSelector() {
    return clusterSelector;
  }

  public void setClusterSelector(NodeSelectorTerm clusterSelector) {
    this.clusterSelector = clusterSelector;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof NamespaceOffloadingSpec that)) {
      return false;
    }
    return Objects.equals(namespaceMappingStrategy, that.namespaceMappingStrategy)
        && Objects.equals(selectedNamespaceName, that.selectedNamespaceName)
        && Objects.equals(podOffloadingStrategy, that.podOffloadingStrategy)
        && Objects.equals(clusterSelector, that.clusterSelector);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        namespaceMappingStrategy, selectedNamespaceName, podOffloadingStrategy, clusterSelector);
  }

  @Override
  public String toString() {
    return "NamespaceOffloadingSpec{"
        + "namespaceMappingStrategy=" + namespaceMappingStrategy
        + ", selectedNamespaceName=" + selectedNamespaceName
        + ", podOffloadingStrategy=" + podOffloadingStrategy
        + ", clusterSelector=" + clusterSelector
        + "}";
  }
}
