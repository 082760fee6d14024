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
 * A consumer's request for a twin namespace on a provider. The consumer writes it into its
 * tenant namespace on the provider, named after the twin namespace it wants; the provider's
 * agent creates that namespace, binds the consumer in it, and reports back in the status. A
 * consumer cannot create namespaces itself, so this object is the only way one comes to exist.
 */
@Group(PontoonNames.GROUP)
@Version(PontoonNames.VERSION)
@Kind("TwinNamespace")
@Plural("twinnamespaces")
@Singular("twinnamespace")
@ShortNames("twinns")
@AdditionalPrinterColumn(
    name = "Home Namespace",
    jsonPath = ".spec.homeNamespace",
    type = Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class TwinNamespace
    extends CustomResource<TwinNamespaceSpec, TwinNamespaceRequestStatus>
    implements Namespaced {

  @Override
  protected TwinNamespaceSpec initSpec() {
    return new TwinNamespaceSpec();
  }
}
