package io.pontoon.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.pontoon.api.PontoonNames;

/**
 * Addresses of both sides of a peering, as IPAM decided them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkConfigSpec {

  @JsonPropertyDescription("Cluster ID of the peer.")
  @Required
  @Pattern(PontoonNames.CLUSTER_ID_PATTERN)
  private String remoteClusterID;

  @JsonPropertyDescription("This cluster's CIDRs, and the block the peer assigned to it.")
  @Required
  private ClusterNetwork local;

  @JsonPropertyDescription("The peer's CIDRs, and the block this cluster assigned to it.")
  @Required
  private ClusterNetwork remote;

  public String getRemoteClusterID() {
    return remoteClusterID;
  }

  public void setRemoteClusterID(String remoteClusterID) {
    this.remoteClusterID = remoteClusterID;
  }

  public ClusterNetwork getLocal() {
    return local;
  }

  public void setLocal(ClusterNetwork local) {
    this.local = local;
  }

  public ClusterNetwork getRemote() {
    return remote;
  }

  public void setRemote(ClusterNetwork remote) {
    this.remote = remote;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof NetworkConfigSpec that)) {
      return false;
    }
    return Objects.equals(remoteClusterID, that.remoteClusterID)
        && Objects.equals(local, that.local)
        && Objects.equals(remote, that.remote);
  }

  @Override
  public int hashCode() {
    return Objects.hash(remoteClusterID, local, remote);
  }

  @Override
  public String toString() {
    return "NetworkConfigSpec{"
        + "remoteClusterID=" + remoteClusterID
        + ", local=" + local
        + ", remote=" + remote
        + "}";
  }
}
