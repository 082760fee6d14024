package io.pontoon.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.pontoon.api.PontoonNames;

/**
 * A cluster this cluster knows: discovered, peered with, or peering with it. Cluster-scoped and
 * named after the foreign cluster.
 */
@Group(PontoonNames.GROUP)
@Version(PontoonNames.VERSION)
@Kind("ForeignCluster")
@Plural("foreignclusters")
@Singular("foreigncluster")
@ShortNames("fc")
@AdditionalPrinterColumn(name = "ClusterID", jsonPath = ".spec.clusterID", type = Type.STRING)
@AdditionalPrinterColumn(name = "Discovery", jsonPath = ".spec.discoveryType", type = Type.STRING)
@AdditionalPrinterColumn(name = "Outgoing", jsonPath = ".spec.outgoingEnabled", type = Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Incoming", jsonPath = ".spec.incomingEnabled", type = Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class ForeignCluster
    extends CustomResource<ForeignClusterSpec, ForeignClusterStatus> {

  @Override
  protected ForeignClusterSpec initSpec() {
    return new ForeignClusterSpec();
  }
}
