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
 * Resources a consumer asks of a provider and what the provider grants. Lives in the tenant
 * namespace of the consumer on the provider.
 */
@Group(PontoonNames.GROUP)
@Version(PontoonNames.VERSION)
@Kind("ResourceSlice")
@Plural("resourceslices")
@Singular("resourceslice")
@ShortNames("rslice")
@AdditionalPrinterColumn(
    name = "Consumer",
    jsonPath = ".spec.consumerClusterID",
    type = Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(name = "CPU", jsonPath = ".status.resources.cpu", type = Type.STRING)
@AdditionalPrinterColumn(name = "Memory", jsonPath = ".status.resources.memory", type = Type.STRING)
@AdditionalPrinterColumn(name = "Pods", jsonPath = ".status.resources.pods", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class ResourceSlice
    extends CustomResource<ResourceSliceSpec, ResourceSliceStatus>
    implements Namespaced {

  @Override
  protected ResourceSliceSpec initSpec() {
    return new ResourceSliceSpec();
  }
}
