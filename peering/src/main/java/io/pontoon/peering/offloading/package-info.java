/**
 * Offloading controllers of the agent. Provider side: {@link
 * io.pontoon.peering.offloading.ShadowPodController} (ShadowPod → Pod, status back, quota) and
 * {@link io.pontoon.peering.offloading.TwinNamespaceController} (twin namespaces and the
 * tenant's Role in them). Consumer side: {@link
 * io.pontoon.peering.offloading.NamespaceOffloadingController} (twin-namespace requests on each
 * selected provider). {@link io.pontoon.peering.offloading.OffloadingControllers} wires them.
 */
package io.pontoon.peering.offloading;
