package io.pontoon.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * UDP endpoint of a WireGuard peer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TunnelEndpoint {

  @JsonPropertyDescription("Host name or IP address.")
  @Required
  @Pattern("^[^\\s:]+$|^\\[[0-9a-fA-F:.]+\\]$")
  private String host;

  @JsonPropertyDescription("UDP port.")
  @Required
  @Min(1)
  @Max(65535)
  private int port;

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public int getPort() {
    return port;
  }

  public void setPort(int port) {
    this.port = port;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TunnelEndpoint that)) {
      return false;
    }
    return Objects.equals(host, that.host)
        && port == that.port;
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port);
  }

  @Override
  public String toString() {
    return "TunnelEndpoint{"
        + "host=" + host
        + ", port=" + port
        + "}";
  }
}
