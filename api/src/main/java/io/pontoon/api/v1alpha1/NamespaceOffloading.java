package io.pontoon.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.pontoon.api.PontoonNames;

/**
 * Offloads the namespace it lives in: which providers get a twin namespace, how it is named,
 * and where the pods may run. One per namespace, named
 * {@value PontoonNames#NAMESPACE_OFFLOADING_NAME}.
 */
@Group(PontoonNames.GROUP)
@Version(PontoonNames.VERSION)
@Kind("NamespaceOffloading")
@Plural("namespaceoffloadings")
@Singular("namespaceoffloading")
@ShortNames("nsof")
@AdditionalPrinterColumn(
    name = "Mapping",
    jsonPath = ".spec.namespaceMappingStrategy",
    type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Pods",
    jsonPath = ".spec.podOffloadingStrategy",
    type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Remote namespace",
    jsonPath = ".status.remoteNamespaceName",
    type = Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
// One per namespace, with a fixed name, so controllers and the webhook find it without listing.
@ValidationRule(
    value = "self.metadata.name == '" + PontoonNames.NAMESPACE_OFFLOADING_NAME + "'",
    message =
        "a NamespaceOffloading must be named '" + PontoonNames.NAMESPACE_OFFLOADING_NAME + "'")
public class NamespaceOffloading
    extends CustomResource<NamespaceOffloadingSpec, NamespaceOffloadingStatus>
    implements Namespaced {

  @Override
  protected NamespaceOffloadingSpec initSpec() {
    return new NamespaceOffloadingSpec();
  }
}
