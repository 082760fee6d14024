package io.pontoon.api.v1alpha1;

import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Observed state of a peering: a phase summary and one condition per step.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ForeignClusterStatus extends ConditionedStatus {

  @JsonPropertyDescription("Summary of the conditions.")
  private ForeignClusterPhase phase;


  @JsonPropertyDescription("When discovery last saw the foreign cluster announced (RFC 3339).")
  private String lastSeen;

  @JsonPropertyDescription(
      "When a discovered, unpeered foreign cluster that stopped announcing is forgotten "
          + "(RFC 3339).")
  private String expiresAt;

  @JsonPropertyDescription("Where the announcement came from: a DNS domain or a network interface.")
  private String discoverySource;

  @JsonPropertyDescription(
      "Resources the foreign cluster granted to this cluster (cpu, memory, pods, "
          + "ephemeral-storage).")
  private Map<String, Quantity> grantedResources;

  @JsonPropertyDescription("URL of the foreign cluster's API server, as given in the handshake.")
  private String apiServerURL;

  @JsonPropertyDescription("Tenant namespaces of this peering.")
  private TenantNamespaces tenantNamespace;

  @JsonPropertyDescription("Name of the virtual node that stands for the foreign cluster.")
  private String virtualNodeName;

  public ForeignClusterPhase getPhase() {
    return phase;
  }

  public void setPhase(ForeignClusterPhase phase) {
    this.phase = phase;
  }



  public String getLastSeen() {
    return lastSeen;
  }

  public void setLastSeen(String lastSeen) {
    this.lastSeen = lastSeen;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public String getDiscoverySource() {
    return discoverySource;
  }

  public void setDiscoverySource(String discoverySource) {
    this.discoverySource = discoverySource;
  }

  public Map<String, Quantity> getGrantedResources() {
    return grantedResources;
  }

  public void setGrantedResources(Map<String, Quantity> grantedResources) {
    this.grantedResources = grantedResources;
  }

  public String getApiServerURL() {
    return apiServerURL;
  }

  public void setApiServerURL(String apiServerURL) {
    this.apiServerURL = apiServerURL;
  }

  public TenantNamespaces getTenantNamespace() {
    return tenantNamespace;
  }

  public void setTenantNamespace(TenantNamespaces tenantNamespace) {
    this.tenantNamespace = tenantNamespace;
  }

  public String getVirtualNodeName() {
    return virtualNodeName;
  }

  public void setVirtualNodeName(String virtualNodeName) {
    this.virtualNodeName = virtualNodeName;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ForeignClusterStatus that)) {
      return false;
    }
    return Objects.equals(phase, that.phase)
        && Objects.equals(getConditions(), that.getConditions())
        && Objects.equals(lastSeen, that.lastSeen)
        && Objects.equals(expiresAt, that.expiresAt)
        && Objects.equals(discoverySource, that.discoverySource)
        && Objects.equals(grantedResources, that.grantedResources)
        && Objects.equals(apiServerURL, that.apiServerURL)
        && Objects.equals(tenantNamespace, that.tenantNamespace)
        && Objects.equals(virtualNodeName, that.virtualNodeName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        phase, getConditions(), lastSeen, expiresAt, discoverySource, grantedResources, apiServerURL,
        tenantNamespace, virtualNodeName);
  }

  @Override
  public String toString() {
    return "ForeignClusterStatus{"
        + "phase=" + phase
        + ", conditions=" + getConditions()
        + ", lastSeen=" + lastSeen
        + ", expiresAt=" + expiresAt
        + ", discoverySource=" + discoverySource
        + ", grantedResources=" + grantedResources
        + ", apiServerURL=" + apiServerURL
        + ", tenantNamespace=" + tenantNamespace
        + ", virtualNodeName=" + virtualNodeName
        + "}";
  }
}
