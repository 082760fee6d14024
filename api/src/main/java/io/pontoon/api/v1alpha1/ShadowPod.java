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
 * A pod that a consumer runs on a provider. The consumer's virtual kubelet writes it in the twin
 * namespace; the provider's agent creates and keeps the Pod, and copies its status back here.
 */
@Group(PontoonNames.GROUP)
@Version(PontoonNames.VERSION)
@Kind("ShadowPod")
@Plural("shadowpods")
@Singular("shadowpod")
@ShortNames("shpod")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.pod.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "IP", jsonPath = ".status.pod.podIP", type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Home",
    jsonPath = ".spec.homePodNamespace",
    type = Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Origin",
    jsonPath = ".spec.originClusterID",
    type = Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class ShadowPod
    extends CustomResource<ShadowPodSpec, ShadowPodStatus>
    implements Namespaced {

  @Override
  protected ShadowPodSpec initSpec() {
    return new ShadowPodSpec();
  }
}
