package io.pontoon.api.v1alpha1;

import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.pontoon.api.PontoonNames;

/**
 * A pod a consumer runs on a provider: the pod spec and where it comes from.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShadowPodSpec {

  @JsonPropertyDescription(
      "Spec of the Pod the provider creates: the home pod's, without its scheduling "
          + "constraints.")
  @Required
  private PodSpec pod;

  @JsonPropertyDescription("Labels of the Pod the provider creates (those of the home pod).")
  private Map<String, String> labels;

  @JsonPropertyDescription("Annotations of the Pod the provider creates.")
  private Map<String, String> annotations;

  @JsonPropertyDescription("Cluster ID of the consumer that owns the home pod.")
  @Required
  @Pattern(PontoonNames.CLUSTER_ID_PATTERN)
  private String originClusterID;

  @JsonPropertyDescription("UID of the home pod; at most one ShadowPod exists per home pod.")
  @Required
  private String homePodUID;

  @JsonPropertyDescription("Name of the home pod.")
  @Required
  @Pattern(PontoonNames.DNS1123_SUBDOMAIN_PATTERN)
  private String homePodName;

  @JsonPropertyDescription("Namespace of the home pod.")
  @Required
  @Pattern(PontoonNames.DNS1123_LABEL_PATTERN)
  @Size(max = PontoonNames.DNS1123_LABEL_MAX_LENGTH)
  private String homePodNamespace;

  public PodSpec getPod() {
    return pod;
  }

  public void setPod(PodSpec pod) {
    this.pod = pod;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public String getOriginClusterID() {
    return originClusterID;
  }

  public void setOriginClusterID(String originClusterID) {
    this.originClusterID = originClusterID;
  }

  public String getHomePodUID() {
    return homePodUID;
  }

  public void setHomePodUID(String homePodUID) {
    this.homePodUID = homePodUID;
  }

  public String getHomePodName() {
    return homePodName;
  }

  public void setHomePodName(String homePodName) {
    this.homePodName = homePodName;
  }

  public String getHomePodNamespace() {
    return homePodNamespace;
  }

  public void setHomePodNamespace(String homePodNamespace) {
    this.homePodNamespace = homePodNamespace;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ShadowPodSpec that)) {
      return false;
    }
    return Objects.equals(pod, that.pod)
        && Objects.equals(labels, that.labels)
        && Objects.equals(annotations, that.annotations)
        && Objects.equals(originClusterID, that.originClusterID)
        && Objects.equals(homePodUID, that.homePodUID)
        && Objects.equals(homePodName, that.homePodName)
        && Objects.equals(homePodNamespace, that.homePodNamespace);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        pod, labels, annotations, originClusterID, homePodUID, homePodName, homePodNamespace);
  }

  @Override
  public String toString() {
    return "ShadowPodSpec{"
        + "pod=" + pod
        + ", labels=" + labels
        + ", annotations=" + annotations
        + ", originClusterID=" + originClusterID
        + ", homePodUID=" + homePodUID
        + ", homePodName=" + homePodName
        + ", homePodNamespace=" + homePodNamespace
        + "}";
  }
}
