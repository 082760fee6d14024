package io.pontoon.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.pontoon.api.PontoonNames;

/**
 * Which home namespace a twin namespace mirrors, and for whom. The twin namespace's own name is
 * the object's name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TwinNamespaceSpec {

  @JsonPropertyDescription("Cluster ID of the consumer that asks for the namespace.")
  @Required
  @Pattern(PontoonNames.CLUSTER_ID_PATTERN)
  private String originClusterID;

  @JsonPropertyDescription("Name of the consumer that asks for the namespace.")
  @Required
  @Pattern(PontoonNames.DNS1123_LABEL_PATTERN)
  @Size(max = PontoonNames.DNS1123_LABEL_MAX_LENGTH)
  private String originClusterName;

  @JsonPropertyDescription("The namespace of the consumer whose pods run in the twin namespace.")
  @Required
  @Pattern(PontoonNames.DNS1123_LABEL_PATTERN)
  @Size(max = PontoonNames.DNS1123_LABEL_MAX_LENGTH)
  private String homeNamespace;

  public String getOriginClusterID() {
    return originClusterID;
  }

  public void setOriginClusterID(String originClusterID) {
    this.originClusterID = originClusterID;
  }

  public String getOriginClusterName() {
    return originClusterName;
  }

  public void setOriginClusterName(String originClusterName) {
    this.originClusterName = originClusterName;
  }

  public String getHomeNamespace() {
    return homeNamespace;
  }

  public void setHomeNamespace(String homeNamespace) {
    this.homeNamespace = homeNamespace;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TwinNamespaceSpec that)) {
      return false;
    }
    return Objects.equals(originClusterID, that.originClusterID)
        && Objects.equals(originClusterName, that.originClusterName)
        && Objects.equals(homeNamespace, that.homeNamespace);
  }

  @Override
  public int hashCode() {
    return Objects.hash(originClusterID, originClusterName, homeNamespace);
  }

  @Override
  public String toString() {
    return "TwinNamespaceSpec{"
        + "originClusterID=" + originClusterID
        + ", originClusterName=" + originClusterName
        + ", homeNamespace=" + homeNamespace
        + "}";
  }
}
