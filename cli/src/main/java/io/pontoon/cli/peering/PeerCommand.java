package io.pontoon.cli.peering;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.cli.KubeOptions;
import io.pontoon.cli.PontoonCommand;
import io.pontoon.cli.UserError;
import io.pontoon.peering.foreigncluster.PeeringRequests;
import io.pontoon.peering.handshake.HandshakeClient;
import io.pontoon.peering.handshake.Messages;
import io.pontoon.peering.handshake.PeeringException;
import io.pontoon.peering.token.TokenStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pontoon peer}: makes this cluster a consumer of another. The handshake itself is done
 * by this cluster's agent (the client key never leaves the cluster); this command hands it the
 * token and follows the ForeignCluster's conditions, printing each step.
 */
@Command(
    name = "peer",
    mixinStandardHelpOptions = true,
    description = {"Peer this cluster (the consumer) with another (the provider): it appears here as a virtual node.",
        "Give the provider's --url, --fingerprint and --token (from 'pontoon token' there), or its",
        "--remote-kubeconfig to make the token there yourself."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  pontoon --kubeconfig c1.kubeconfig peer --url https://10.0.0.2:8443 \\",
        "      --fingerprint sha256:3b1f... --token 3f2a9c0d1e4b5a69.Xk...",
        "  pontoon --kubeconfig c1.kubeconfig peer --remote-kubeconfig c2.kubeconfig --wait",
        "  pontoon --kubeconfig c1.kubeconfig peer --remote-kubeconfig c2.kubeconfig --bidirectional",
        "  pontoon --kubeconfig c1.kubeconfig peer --discovered cluster-2 --token 3f2a9c0d1e4b5a69.Xk...",
        "",
        "Exit codes: 0 peered (or already peered), 1 a step failed (the message says which and what to do), 2 usage."})
public final class PeerCommand implements Callable<Integer> {
  @Option(names = "--url", paramLabel = "https://HOST:PORT", description = "The provider's peering URL.")
  String url;

  @Option(names = "--fingerprint", paramLabel = "sha256:HEX", description = "The provider's certificate fingerprint.")
  String fingerprint;

  @Option(names = "--token", paramLabel = "TOKEN", description = "A token made by 'pontoon token' on the provider.")
  String token;

  @Option(names = "--remote-kubeconfig", paramLabel = "FILE", description = "Kubeconfig of the provider: make the token there.")
  Path remoteKubeconfig;

  @Option(names = "--discovered", paramLabel = "NAME",
      description = "A cluster the agent discovered (DNS-SD or mDNS): URL and fingerprint come from its ForeignCluster.")
  String discovered;

  @Option(names = "--remote-context", paramLabel = "NAME", description = "Context of --remote-kubeconfig.")
  String remoteContext;

  @Option(names = "--bidirectional", description = "Also peer the other way (needs --remote-kubeconfig).")
  boolean bidirectional;

  @Option(names = "--wait", description = "Also wait until the virtual node is Ready.")
  boolean waitNode;

  @Option(names = "--timeout", defaultValue = "120s", converter = Durations.class,
      description = "How long to wait for each direction (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (discovered != null) return peerDiscovered();
    boolean manual = url != null || fingerprint != null || token != null;
    if (manual == (remoteKubeconfig != null)) {
      throw usage("give either --url, --fingerprint and --token, or --remote-kubeconfig");
    }
    if (manual && (url == null || fingerprint == null || token == null)) {
      throw usage("--url, --fingerprint and --token go together");
    }
    if (manual && !url.matches(PontoonNames.HTTPS_URL_PATTERN)) throw usage("--url must be https://HOST:PORT, got " + url);
    if (manual && !fingerprint.toLowerCase().matches(PontoonNames.FINGERPRINT_PATTERN)) {
      throw usage("--fingerprint must be sha256: and 64 hex digits, got " + fingerprint);
    }
    if (manual && !TokenStore.TOKEN_PATTERN.matcher(token).matches()) {
      throw usage("--token is malformed; copy it whole from the output of 'pontoon token'");
    }
    if (bidirectional && remoteKubeconfig == null) throw usage("--bidirectional needs --remote-kubeconfig");
    Steps steps = new Steps(spec.commandLine().getOut());
    try (KubernetesClient home = PontoonCommand.kubeOptions(spec).client()) {
      Identities me = Identities.of(home, "local");
      if (remoteKubeconfig == null) {
        peer(steps, home, me, url, fingerprint.toLowerCase(), () -> token);
        return 0;
      }
      try (KubernetesClient remote = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
          .withConfig(KubeOptions.config(remoteKubeconfig, remoteContext)).build()) {
        Identities other = Identities.of(remote, "remote");
        if (other.identity().id().equals(me.identity().id())) {
          throw steps.fail("check the remote cluster", "--remote-kubeconfig points at this same cluster ("
              + me.identity().name() + "); a cluster cannot peer with itself");
        }
        peer(steps, home, me, other.peeringUrl(), other.fingerprint(), () -> token(steps, remote, other));
        if (bidirectional) {
          spec.commandLine().getOut().println("-- and the other way: " + other.identity().name() + " → " + me.identity().name());
          peer(steps, remote, other, me.peeringUrl(), me.fingerprint(), () -> token(steps, home, me));
        }
      }
      return 0;
    }
  }

  /** The URL and fingerprint come from the announcement, which pins the certificate; the token from the user. */
  private int peerDiscovered() {
    if (url != null || fingerprint != null || remoteKubeconfig != null || bidirectional) {
      throw usage("--discovered takes the URL and fingerprint from discovery; give it with --token only");
    }
    if (token == null) throw usage("--discovered needs --token (made by 'pontoon token' on " + discovered + ")");
    if (!TokenStore.TOKEN_PATTERN.matcher(token).matches()) {
      throw usage("--token is malformed; copy it whole from the output of 'pontoon token'");
    }
    if (!PontoonNames.isDns1123Label(discovered)) throw usage("--discovered must be a cluster name, got " + discovered);
    Steps steps = new Steps(spec.commandLine().getOut());
    try (KubernetesClient home = PontoonCommand.kubeOptions(spec).client()) {
      Identities me = Identities.of(home, "local");
      ForeignCluster fc = home.resources(ForeignCluster.class).withName(discovered).get();
      if (fc == null || fc.getSpec() == null || fc.getSpec().getDiscoveryType() == null
          || !(fc.getSpec().getDiscoveryType() == io.pontoon.api.v1alpha1.DiscoveryType.DNS
              || fc.getSpec().getDiscoveryType() == io.pontoon.api.v1alpha1.DiscoveryType.LAN)) {
        throw steps.fail("find " + discovered, "no cluster named " + discovered + " was discovered here; list them with"
            + " 'kubectl get foreignclusters' or 'pontoon discover', and start the agent with --discovery-domain or --mdns");
      }
      // The agent's discovery owns expiry: it turns Discovered False (or deletes the record) once the TTL passed.
      if (!Conditions.isTrue(conditions(fc), io.pontoon.peering.discovery.DiscoveredClusters.DISCOVERED)) {
        throw steps.fail("find " + discovered, discovered + " is no longer announced (last seen "
            + (fc.getStatus() == null ? "-" : fc.getStatus().getLastSeen()) + "); check that its agent runs with"
            + " discovery on, or peer with --url and --fingerprint");
      }
      String u = fc.getSpec().getPeeringURL();
      String f = fc.getSpec().getFingerprint();
      if (u == null || f == null) throw steps.fail("find " + discovered, "the discovered record has no URL or fingerprint");
      steps.ok("found " + discovered + " by discovery (" + fc.getSpec().getDiscoveryType() + ") at " + u);
      peer(steps, home, me, u, f.toLowerCase(), () -> token);
      return 0;
    }
  }

  private String token(Steps steps, KubernetesClient provider, Identities who) {
    try {
      String t = new TokenStore(provider).create(Duration.ofMinutes(10), true).secret();
      steps.ok("single-use token created on " + who.identity().name());
      return t;
    } catch (KubernetesClientException e) {
      throw steps.fail("create a token on " + who.identity().name(), Errors.kube(e, "create a token (Secrets in pontoon-system) on "
          + who.identity().name()).getMessage());
    }
  }

  private void peer(Steps steps, KubernetesClient home, Identities me, String url, String fp,
      java.util.function.Supplier<String> token) {
    Messages.Identity provider;
    try {
      provider = new HandshakeClient(Duration.ofSeconds(10)).identity(url, fp);
    } catch (PeeringException e) {
      String what = PontoonNames.Reasons.FINGERPRINT_MISMATCH.equals(e.reason())
          ? "verify the provider's certificate" : "reach the provider at " + url;
      throw steps.fail(what, e.getMessage());
    }
    steps.ok("reached " + provider.name() + " at " + url + ", certificate " + abbreviate(fp) + " verified");
    if (provider.id().equals(me.identity().id()) || provider.name().equals(me.identity().name())) {
      throw steps.fail("check the provider", "that URL is this cluster (" + me.identity().name()
          + "); a cluster cannot peer with itself");
    }
    ForeignCluster existing = home.resources(ForeignCluster.class).withName(provider.name()).get();
    if (existing != null && existing.getSpec() != null && existing.getSpec().getOutgoingEnabled()
        && provider.id().equals(existing.getSpec().getClusterID())
        && existing.getMetadata().getDeletionTimestamp() == null
        && Conditions.isTrue(conditions(existing), ConditionTypes.AUTHENTICATED)) {
      steps.ok("already peered with " + provider.name() + " (nothing to do)");
      if (waitNode) await(steps, home, provider.name(), ConditionTypes.VIRTUAL_NODE_READY, "virtual node "
          + PontoonNames.virtualNodeName(provider.name()) + " Ready");
      return;
    }
    if (existing != null && existing.getMetadata().getDeletionTimestamp() != null) {
      throw steps.fail("record " + provider.name(), provider.name() + " is being unpeered; wait until 'pontoon status'"
          + " no longer lists it, then peer again");
    }
    if (existing != null && existing.getSpec() != null && !provider.id().equals(existing.getSpec().getClusterID())) {
      throw steps.fail("record " + provider.name(), "a different cluster named " + provider.name() + " (ID "
          + existing.getSpec().getClusterID() + ") is known here; run 'pontoon unpeer " + provider.name() + "' first");
    }
    String secret = token.get();
    try {
      PeeringRequests.request(home, provider.id(), provider.name(), url, fp, secret);
    } catch (KubernetesClientException e) {
      throw steps.fail("hand the token to the local agent", Errors.kube(e,
          "create the ForeignCluster and a Secret in " + PontoonNames.tenantNamespace(provider.name())).getMessage());
    }
    steps.ok("asked the agent of " + me.identity().name() + " to peer with " + provider.name());
    Instant deadline = Instant.now().plus(timeout);
    await(steps, home, provider.name(), ConditionTypes.AUTHENTICATED, "handshake: authenticated, credentials stored", deadline);
    await(steps, home, provider.name(), ConditionTypes.RESOURCES_GRANTED, "resources granted", deadline);
    await(steps, home, provider.name(), ConditionTypes.NETWORK_READY, "network CIDRs exchanged", deadline);
    if (waitNode) {
      await(steps, home, provider.name(), ConditionTypes.VIRTUAL_NODE_READY, "virtual node "
          + PontoonNames.virtualNodeName(provider.name()) + " Ready", deadline);
    }
  }

  private void await(Steps steps, KubernetesClient home, String fc, String type, String what) {
    await(steps, home, fc, type, what, Instant.now().plus(timeout));
  }

  private void await(Steps steps, KubernetesClient home, String fc, String type, String what, Instant deadline) {
    Instant requested = Instant.now().minusSeconds(1);
    while (true) {
      ForeignCluster f = home.resources(ForeignCluster.class).withName(fc).get();
      Optional<Condition> c = f == null ? Optional.empty() : Conditions.find(conditions(f), type);
      if (c.isPresent() && PontoonNames.ConditionStatus.TRUE.equals(c.get().getStatus())) {
        steps.ok(what);
        return;
      }
      // A False condition written after this request is the agent's answer; an older one is stale.
      if (c.isPresent() && PontoonNames.ConditionStatus.FALSE.equals(c.get().getStatus())
          && !PontoonNames.Reasons.PENDING.equals(c.get().getReason())
          && (c.get().getLastTransitionTime() == null || !Instant.parse(c.get().getLastTransitionTime()).isBefore(requested))) {
        throw steps.fail(what, c.get().getReason() + ": " + c.get().getMessage());
      }
      if (Instant.now().isAfter(deadline)) {
        throw steps.fail(what, "not done within " + timeout.toSeconds() + "s"
            + c.map(x -> " (" + type + " " + x.getStatus() + ", " + x.getReason() + ": " + x.getMessage() + ")")
                .orElse("; is 'pontoon agent' running in this cluster?")
            + "; 'pontoon status' shows the peering");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserError("interrupted");
      }
    }
  }

  private static List<Condition> conditions(ForeignCluster f) {
    return f.getStatus() == null || f.getStatus().getConditions() == null ? List.of() : f.getStatus().getConditions();
  }

  private static String abbreviate(String fp) {
    return fp.length() > 19 ? fp.substring(0, 19) + "…" : fp;
  }

  private CommandLine.ParameterException usage(String msg) {
    return new CommandLine.ParameterException(spec.commandLine(), msg);
  }
}
