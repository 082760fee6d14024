package io.pontoon.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.pontoon.api.PontoonNames;

/**
 * The tenant namespaces of one peering, on each side.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TenantNamespaces {

  @JsonPropertyDescription(
      "Tenant namespace in this cluster: credentials and objects of the foreign cluster.")
  @Pattern(PontoonNames.DNS1123_LABEL_PATTERN)
  @Size(max = PontoonNames.DNS1123_LABEL_MAX_LENGTH)
  private String local;

  @JsonPropertyDescription("Tenant namespace the foreign cluster made for this cluster.")
  @Pattern(PontoonNames.DNS1123_LABEL_PATTERN)
  @Size(max = PontoonNames.DNS1123_LABEL_MAX_LENGTH)
  private String remote;

  public String getLocal() {
    return local;
  }

  public void setLocal(String local) {
    this.local = local;
  }

  public String getRemote() {
    return remote;
  }

  public void setRemote(String remote) {
    this.remote = remote;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TenantNamespaces that)) {
      return false;
    }
    return Objects.equals(local, that.local)
        && Objects.equals(remote, that.remote);
  }

  @Override
  public int hashCode() {
    return Objects.hash(local, remote);
  }

  @Override
  public String toString() {
    return "TenantNamespaces{"
        + "local=" + local
        + ", remote=" + remote
        + "}";
  }
}
