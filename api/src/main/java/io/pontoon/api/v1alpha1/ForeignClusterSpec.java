package io.pontoon.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.pontoon.api.PontoonNames;

/**
 * What is known about a foreign cluster and which ways it is peered.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ForeignClusterSpec {

  @JsonPropertyDescription("UUID of the foreign cluster, from its identity; immutable.")
  @Required
  @Pattern(PontoonNames.CLUSTER_ID_PATTERN)
  @ValidationRule(value = "self == oldSelf", message = "clusterID is immutable")
  private String clusterID;

  @JsonPropertyDescription("Name of the foreign cluster (a DNS-1123 label given at install).")
  @Required
  @Pattern(PontoonNames.DNS1123_LABEL_PATTERN)
  @Size(max = PontoonNames.DNS1123_LABEL_MAX_LENGTH)
  private String clusterName;

  @JsonPropertyDescription("URL of the foreign cluster's peering service, https://HOST:PORT.")
  @Pattern(PontoonNames.HTTPS_URL_PATTERN)
  private String peeringURL;

  @JsonPropertyDescription(
      "SHA-256 fingerprint of the peering service's certificate, sha256:<64 hex>; the TLS "
          + "connection is pinned to it.")
  @Pattern(PontoonNames.FINGERPRINT_PATTERN)
  private String fingerprint;

  @JsonPropertyDescription("How this cluster learned about the foreign cluster.")
  @Default("Manual")
  private DiscoveryType discoveryType = DiscoveryType.Manual;

  @JsonPropertyDescription(
      "Whether this cluster offloads to the foreign cluster (is its consumer).")
  @Default("false")
  private boolean outgoingEnabled;

  @JsonPropertyDescription(
      "Whether the foreign cluster offloads to this cluster (is its provider).")
  @Default("false")
  private boolean incomingEnabled;

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

  public String getPeeringURL() {
    return peeringURL;
  }

  public void setPeeringURL(String peeringURL) {
    this.peeringURL = peeringURL;
  }

  public String getFingerprint() {
    return fingerprint;
  }

  public void setFingerprint(String fingerprint) {
    this.fingerprint = fingerprint;
  }

  public DiscoveryType getDiscoveryType() {
    return discoveryType;
  }

  public void setDiscoveryType(DiscoveryType discoveryType) {
    this.discoveryType = discoveryType;
  }

  public boolean getOutgoingEnabled() {
    return outgoingEnabled;
  }

  public void setOutgoingEnabled(boolean outgoingEnabled) {
    this.outgoingEnabled = outgoingEnabled;
  }

  public boolean getIncomingEnabled() {
    return incomingEnabled;
  }

  public void setIncomingEnabled(boolean incomingEnabled) {
    this.incomingEnabled = incomingEnabled;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ForeignClusterSpec that)) {
      return false;
    }
    return Objects.equals(clusterID, that.clusterID)
        && Objects.equals(clusterName, that.clusterName)
        && Objects.equals(peeringURL, that.peeringURL)
        && Objects.equals(fingerprint, that.fingerprint)
        && Objects.equals(discoveryType, that.discoveryType)
        && outgoingEnabled == that.outgoingEnabled
        && incomingEnabled == that.incomingEnabled;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        clusterID, clusterName, peeringURL, fingerprint, discoveryType, outgoingEnabled,
        incomingEnabled);
  }

  @Override
  public String toString() {
    return "ForeignClusterSpec{"
        + "clusterID=" + clusterID
        + ", clusterName=" + clusterName
        + ", peeringURL=" + peeringURL
        + ", fingerprint=" + fingerprint
        + ", discoveryType=" + discoveryType
        + ", outgoingEnabled=" + outgoingEnabled
        + ", incomingEnabled=" + incomingEnabled
        + "}";
  }
}
