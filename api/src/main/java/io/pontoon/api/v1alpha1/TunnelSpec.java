package io.pontoon.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.pontoon.api.PontoonNames;

/**
 * A WireGuard tunnel to one peer. The private key stays in a Secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TunnelSpec {

  @JsonPropertyDescription("Cluster ID of the peer.")
  @Required
  @Pattern(PontoonNames.CLUSTER_ID_PATTERN)
  private String remoteClusterID;

  @JsonPropertyDescription(
      "Secret in this namespace with this side's WireGuard key pair (keys privateKey and "
          + "publicKey).")
  @Required
  @Pattern(PontoonNames.DNS1123_SUBDOMAIN_PATTERN)
  private String localKeySecretName;

  @JsonPropertyDescription("The peer's WireGuard public key (base64).")
  @Required
  @Pattern(PontoonNames.WIREGUARD_KEY_PATTERN)
  private String remotePublicKey;

  @JsonPropertyDescription(
      "The peer's endpoint; absent on the side that waits for the peer to connect.")
  private TunnelEndpoint endpoint;

  @JsonPropertyDescription("Local UDP port WireGuard listens on.")
  @Default("51820")
  @Min(1)
  @Max(65535)
  private int listenPort = PontoonNames.DEFAULT_WIREGUARD_PORT;

  @JsonPropertyDescription("MTU of the tunnel interface.")
  @Default("1420")
  @Min(576)
  @Max(9000)
  private int mtu = PontoonNames.DEFAULT_MTU;

  @JsonPropertyDescription("Seconds between keepalives; 0 turns them off.")
  @Default("25")
  @Min(0)
  @Max(65535)
  private int persistentKeepaliveSeconds = PontoonNames.DEFAULT_PERSISTENT_KEEPALIVE_SECONDS;

  public String getRemoteClusterID() {
    return remoteClusterID;
  }

  public void setRemoteClusterID(String remoteClusterID) {
    this.remoteClusterID = remoteClusterID;
  }

  public String getLocalKeySecretName() {
    return localKeySecretName;
  }

  public void setLocalKeySecretName(String localKeySecretName) {
    this.localKeySecretName = localKeySecretName;
  }

  public String getRemotePublicKey() {
    return remotePublicKey;
  }

  public void setRemotePublicKey(String remotePublicKey) {
    this.remotePublicKey = remotePublicKey;
  }

  public TunnelEndpoint getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(TunnelEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  public int getListenPort() {
    return listenPort;
  }

  public void setListenPort(int listenPort) {
    this.listenPort = listenPort;
  }

  public int getMtu() {
    return mtu;
  }

  public void setMtu(int mtu) {
    this.mtu = mtu;
  }

  public int getPersistentKeepaliveSeconds() {
    return persistentKeepaliveSeconds;
  }

  public void setPersistentKeepaliveSeconds(int persistentKeepaliveSeconds) {
    this.persistentKeepaliveSeconds = persistentKeepaliveSeconds;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TunnelSpec that)) {
      return false;
    }
    return Objects.equals(remoteClusterID, that.remoteClusterID)
        && Objects.equals(localKeySecretName, that.localKeySecretName)
        && Objects.equals(remotePublicKey, that.remotePublicKey)
        && Objects.equals(endpoint, that.endpoint)
        && listenPort == that.listenPort
        && mtu == that.mtu
        && persistentKeepaliveSeconds == that.persistentKeepaliveSeconds;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        remoteClusterID, localKeySecretName, remotePublicKey, endpoint, listenPort, mtu,
        persistentKeepaliveSeconds);
  }

  @Override
  public String toString() {
    return "TunnelSpec{"
        + "remoteClusterID=" + remoteClusterID
        + ", localKeySecretName=" + localKeySecretName
        + ", remotePublicKey=" + remotePublicKey
        + ", endpoint=" + endpoint
        + ", listenPort=" + listenPort
        + ", mtu=" + mtu
        + ", persistentKeepaliveSeconds=" + persistentKeepaliveSeconds
        + "}";
  }
}
