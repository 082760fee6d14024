package io.pontoon.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.pontoon.api.PontoonNames;

/**
 * State of the twin namespace in one provider.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TwinNamespaceStatus {

  @JsonPropertyDescription("Cluster ID of the provider.")
  @Required
  @Pattern(PontoonNames.CLUSTER_ID_PATTERN)
  private String clusterID;

  @JsonPropertyDescription("Name of the provider.")
  @Pattern(PontoonNames.DNS1123_LABEL_PATTERN)
  @Size(max = PontoonNames.DNS1123_LABEL_MAX_LENGTH)
  private String clusterName;

  @JsonPropertyDescription("Name of the twin namespace in the provider.")
  @Pattern(PontoonNames.DNS1123_LABEL_PATTERN)
  @Size(max = PontoonNames.DNS1123_LABEL_MAX_LENGTH)
  private String namespace;

  @JsonPropertyDescription("State of the twin namespace.")
  private TwinNamespacePhase phase;

  @JsonPropertyDescription("Why the twin namespace is not Ready, when it is not.")
  private String message;

  public String getClusterID() {
    return clusterID;
  }

  public void setClusterID(String clusterID) {
    this.clusterID = clusterID;
  }

  public String getClusterName() {
    return clusterName;
  }

  public void setClusterName(String clusterName) {
    this.clusterName = clusterName;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public TwinNamespacePhase getPhase() {
    return phase;
  }

  public void setPhase(TwinNamespacePhase phase) {
    this.phase = phase;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TwinNamespaceStatus that)) {
      return false;
    }
    return Objects.equals(clusterID, that.clusterID)
        && Objects.equals(clusterName, that.clusterName)
        && Objects.equals(namespace, that.namespace)
        && Objects.equals(phase, that.phase)
        && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(clusterID, clusterName, namespace, phase, message);
  }

  @Override
  public String toString() {
    return "TwinNamespaceStatus{"
        + "clusterID=" + clusterID
        + ", clusterName=" + clusterName
        + ", namespace=" + namespace
        + ", phase=" + phase
        + ", message=" + message
        + "}";
  }
}
