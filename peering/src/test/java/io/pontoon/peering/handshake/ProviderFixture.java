package io.pontoon.peering.handshake;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.peering.agent.Agent;
import io.pontoon.peering.agent.AgentConfig;
import io.pontoon.peering.agent.RecordingLauncher;
import io.pontoon.peering.token.TokenStore;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** A provider agent on a sandbox API server, and consumers made up on the spot. */
public final class ProviderFixture implements AutoCloseable {
  public final KubernetesClient client;
  public final Agent agent;
  public final TokenStore tokens;

  public ProviderFixture(SandboxApiServer server, String name) throws Exception {
    this(server, name, CidrAssigner.passThrough());
  }

  public ProviderFixture(SandboxApiServer server, String name, CidrAssigner cidrs) throws Exception {
    client = new KubernetesClientBuilder().withConfig(server.adminConfig()).build();
    agent = new Agent(AgentConfig.local(name), client).withLauncher(new RecordingLauncher()).withCidrAssigner(cidrs);
    agent.start();
    tokens = new TokenStore(client);
  }

  /** A consumer that never existed before: fresh ID, key and CSR. */
  public record Consumer(String id, String name, ConsumerCsr csr) {
    public static Consumer fresh(String name) {
      String id = UUID.randomUUID().toString();
      return new Consumer(id, name, ConsumerCsr.generate(id));
    }

    public Messages.HandshakeRequest request(String token) {
      return new Messages.HandshakeRequest(token, new Messages.ClusterRef(id, name), csr.csrPem(),
          new Messages.Network("10.244.0.0/16", "10.96.0.0/12"), null, null, Map.of("cpu", "2", "pods", "10"));
    }
  }

  public Messages.HandshakeResponse handshake(Messages.HandshakeRequest req) {
    return new HandshakeClient(Duration.ofSeconds(30)).handshake(agent.peeringUrl(), agent.fingerprint(), req);
  }

  public String token() {
    return tokens.create(Duration.ofHours(1), true).secret();
  }

  @Override
  public void close() {
    agent.close();
    client.close();
  }
}
