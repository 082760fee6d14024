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
 * The WireGuard tunnel of one peering. The gateway converges the interface to it and reports
 * its state.
 */
@Group(PontoonNames.GROUP)
@Version(PontoonNames.VERSION)
@Kind("Tunnel")
@Plural("tunnels")
@Singular("tunnel")
@ShortNames("tun")
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.state", type = Type.STRING)
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".spec.endpoint.host", type = Type.STRING)
@AdditionalPrinterColumn(name = "Port", jsonPath = ".spec.endpoint.port", type = Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Interface",
    jsonPath = ".status.interfaceName",
    type = Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Handshake",
    jsonPath = ".status.latestHandshake",
    type = Type.DATE,
    priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class Tunnel
    extends CustomResource<TunnelSpec, TunnelStatus>
    implements Namespaced {

  @Override
  protected TunnelSpec initSpec() {
    return new TunnelSpec();
  }
}
