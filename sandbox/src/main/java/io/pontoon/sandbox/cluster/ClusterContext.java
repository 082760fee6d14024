package io.pontoon.sandbox.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.sandbox.apiserver.SandboxApiServer;

/** What a component gets from its cluster. */
public record ClusterContext(ClusterSpec spec, SandboxApiServer apiServer, KubernetesClient client,
    SharedInformers informers) {}
