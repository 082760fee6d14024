/**
 * The agent's mutating admission webhook: pods of offloaded namespaces get the toleration and
 * node affinity of their namespace's pod offloading strategy ({@link
 * io.pontoon.peering.webhook.PodMutation}), served over HTTPS by {@link
 * io.pontoon.peering.webhook.PodOffloadingWebhook} and registered by {@link
 * io.pontoon.peering.webhook.WebhookRegistrar}.
 */
package io.pontoon.peering.webhook;
