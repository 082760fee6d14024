package io.pontoon.peering.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.pontoon.api.ClusterIdentity;
import io.vertx.core.Vertx;

/** What a component gets from the agent: the home cluster, its identity, shared Vert.x and metrics. */
public record AgentContext(
    KubernetesClient client, ClusterIdentity identity, Vertx vertx, MeterRegistry metrics, AgentConfig config,
    String peeringUrl, String fingerprint) {}
