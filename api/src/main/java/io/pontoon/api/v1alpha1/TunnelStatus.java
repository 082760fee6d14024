package io.pontoon.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Observed state of a tunnel, from wg and the health probe.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TunnelStatus extends ConditionedStatus {

  @JsonPropertyDescription("Up or Down; the Ready condition says why.")
  private TunnelState state;

  @JsonPropertyDescription("Time of the latest WireGuard handshake (RFC 3339).")
  private String latestHandshake;

  @JsonPropertyDescription("Bytes received through the tunnel.")
  private Long rxBytes;

  @JsonPropertyDescription("Bytes sent through the tunnel.")
  private Long txBytes;

  @JsonPropertyDescription("Round-trip time of the latest health probe, in microseconds.")
  private Long rttMicros;

  @JsonPropertyDescription("Health probes missed in a row.")
  private Integer missedProbes;

  @JsonPropertyDescription("Name of the WireGuard interface (pt-<8 hex of the peer's cluster ID>).")
  private String interfaceName;


  public TunnelState getState() {
    return state;
  }

  public void setState(TunnelState state) {
    this.state = state;
  }

  public String getLatestHandshake() {
    return latestHandshake;
  }

  public void setLatestHandshake(String latestHandshake) {
    this.latestHandshake = latestHandshake;
  }

  public Long getRxBytes() {
    return rxBytes;
  }

  public void setRxBytes(Long rxBytes) {
    this.rxBytes = rxBytes;
  }

  public Long getTxBytes() {
    return txBytes;
  }

  public void setTxBytes(Long txBytes) {
    this.txBytes = txBytes;
  }

  public Long getRttMicros() {
    return rttMicros;
  }

  public void setRttMicros(Long rttMicros) {
    this.rttMicros = rttMicros;
  }

  public Integer getMissedProbes() {
    return missedProbes;
  }

  public void setMissedProbes(Integer missedProbes) {
    this.missedProbes = missedProbes;
  }

  public String getInterfaceName() {
    return interfaceName;
  }

  public void setInterfaceName(String interfaceName) {
    this.interfaceName = interfaceName;
  }



  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TunnelStatus that)) {
      return false;
    }
    return Objects.equals(state, that.state)
        && Objects.equals(latestHandshake, that.latestHandshake)
        && Objects.equals(rxBytes, that.rxBytes)
        && Objects.equals(txBytes, that.txBytes)
        && Objects.equals(rttMicros, that.rttMicros)
        && Objects.equals(missedProbes, that.missedProbes)
        && Objects.equals(interfaceName, that.interfaceName)
        && Objects.equals(getConditions(), that.getConditions());
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        state,
        latestHandshake,
        rxBytes,
        txBytes,
        rttMicros,
        missedProbes,
        interfaceName,
        getConditions());
  }

  @Override
  public String toString() {
    return "TunnelStatus{"
        + "state=" + state
        + ", latestHandshake=" + latestHandshake
        + ", rxBytes=" + rxBytes
        + ", txBytes=" + txBytes
        + ", rttMicros=" + rttMicros
        + ", missedProbes=" + missedProbes
        + ", interfaceName=" + interfaceName
        + ", conditions=" + getConditions()
        + "}";
  }
}
