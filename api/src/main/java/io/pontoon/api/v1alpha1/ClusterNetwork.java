package io.pontoon.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.pontoon.api.PontoonNames;

/**
 * The address blocks of one cluster of a peering.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterNetwork {

  @JsonPropertyDescription("Pod CIDR of the cluster.")
  @Required
  @Pattern(PontoonNames.IPV4_CIDR_PATTERN)
  private String podCIDR;

  @JsonPropertyDescription("Service CIDR of the cluster.")
  @Pattern(PontoonNames.IPV4_CIDR_PATTERN)
  private String serviceCIDR;

  @JsonPropertyDescription(
      "Block under which the cluster's pods appear on the other side of the tunnel. For "
          + "local: the block the remote assigned to this cluster (source NAT target). For "
          + "remote: the block this cluster assigned to the remote.")
  @Pattern(PontoonNames.IPV4_CIDR_PATTERN)
  private String remappedPodCIDR;

  public String getPodCIDR() {
    return podCIDR;
  }

  public void setPodCIDR(String podCIDR) {
    this.podCIDR = podCIDR;
  }

  public String getServiceCIDR() {
    return serviceCIDR;
  }

  public void setServiceCIDR(String serviceCIDR) {
    this.serviceCIDR = serviceCIDR;
  }

  public String getRemappedPodCIDR() {
    return remappedPodCIDR;
  }

  public void setRemappedPodCIDR(String remappedPodCIDR) {
    this.remappedPodCIDR = remappedPodCIDR;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ClusterNetwork that)) {
      return false;
    }
    return Objects.equals(podCIDR, that.podCIDR)
        && Objects.equals(serviceCIDR, that.serviceCIDR)
        && Objects.equals(remappedPodCIDR, that.remappedPodCIDR);
  }

  @Override
  public int hashCode() {
    return Objects.hash(podCIDR, serviceCIDR, remappedPodCIDR);
  }

  @Override
  public String toString() {
    return "ClusterNetwork{"
        + "podCIDR=" + podCIDR
        + ", serviceCIDR=" + serviceCIDR
        + ", remappedPodCIDR=" + remappedPodCIDR
        + "}";
  }
}
