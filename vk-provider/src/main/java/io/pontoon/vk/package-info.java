/** The virtual kubelet: a peered cluster as a virtual node, pods offloaded through ShadowPods. */
package io.pontoon.vk;
