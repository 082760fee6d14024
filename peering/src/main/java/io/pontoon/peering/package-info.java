/** The agent: identity, peering, tenants, namespace offloading, ShadowPods, the webhook. */
package io.pontoon.peering;
