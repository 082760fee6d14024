package io.pontoon.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.pontoon.api.PontoonNames;

/**
 * The addresses of one peering: both clusters' CIDRs and the remapped blocks each assigned to the
 * other. IPAM persists its allocations in these objects.
 */
@Group(PontoonNames.GROUP)
@Version(PontoonNames.VERSION)
@Kind("NetworkConfig")
@Plural("networkconfigs")
@Singular("networkconfig")
@ShortNames("netcfg")
@AdditionalPrinterColumn(name = "Remote", jsonPath = ".spec.remoteClusterID", type = Type.STRING)
@AdditionalPrinterColumn(name = "Local pods", jsonPath = ".spec.local.podCIDR", type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Local as seen",
    jsonPath = ".spec.local.remappedPodCIDR",
    type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Remote as seen",
    jsonPath = ".spec.remote.remappedPodCIDR",
    type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class NetworkConfig
    extends CustomResource<NetworkConfigSpec, NetworkConfigStatus>
    implements Namespaced {

  @Override
  protected NetworkConfigSpec initSpec() {
    return new NetworkConfigSpec();
  }
}
