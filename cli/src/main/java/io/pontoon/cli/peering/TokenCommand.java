package io.pontoon.cli.peering;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.cli.OutputFormat;
import io.pontoon.cli.PontoonCommand;
import io.pontoon.cli.UserError;
import io.pontoon.peering.token.IssuedToken;
import io.pontoon.peering.token.TokenInfo;
import io.pontoon.peering.token.TokenStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pontoon token}: make a peering token on this (provider) cluster, list or revoke them. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {"Create a peering token on this cluster (the provider) and print the command a consumer runs.",
        "Only a SHA-256 of the token is stored; it expires after --ttl."},
    subcommands = {TokenCommand.ListCommand.class, TokenCommand.RevokeCommand.class},
    footerHeading = "%nExamples:%n",
    footer = {
        "  pontoon --kubeconfig provider.kubeconfig token --ttl 1h --single-use",
        "  pontoon token list",
        "  pontoon token revoke 3f2a9c0d1e4b5a69"})
public final class TokenCommand implements Callable<Integer> {
  @Option(names = "--ttl", defaultValue = "24h", converter = Durations.class,
      description = "How long the token is valid (default ${DEFAULT-VALUE}).")
  Duration ttl;

  @Option(names = "--single-use", description = "The token works for one consumer cluster only.")
  boolean singleUse;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (ttl.isZero() || ttl.isNegative()) throw new CommandLine.ParameterException(spec.commandLine(), "--ttl must be positive");
    try (KubernetesClient client = PontoonCommand.kubeOptions(spec).client()) {
      Identities me = Identities.of(client, "this");
      IssuedToken t;
      try {
        t = new TokenStore(client).create(ttl, singleUse);
      } catch (KubernetesClientException e) {
        throw Errors.kube(e, "create Secrets in pontoon-system");
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("# token " + t.info().id() + " for cluster " + me.identity().name() + ", valid until "
          + t.info().expiresAt() + (singleUse ? ", single use" : "") + "; on the consumer run:");
      out.println("pontoon peer --url " + me.peeringUrl() + " --fingerprint " + me.fingerprint() + " --token " + t.secret());
      out.flush();
      return 0;
    }
  }

  /** {@code pontoon token list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List this cluster's peering tokens (never their secrets).",
      footerHeading = "%nExamples:%n", footer = "  pontoon token list -o json")
  static final class ListCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml (default ${DEFAULT-VALUE}).")
    OutputFormat output;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (KubernetesClient client = PontoonCommand.kubeOptions(spec).client()) {
        List<TokenInfo> tokens;
        try {
          tokens = new TokenStore(client).list();
        } catch (KubernetesClientException e) {
          throw Errors.kube(e, "list Secrets in pontoon-system");
        }
        Instant now = Instant.now();
        output.print(spec.commandLine().getOut(), tokens, List.of("id", "state", "expires", "single-use", "used-by"),
            tokens.stream().map(t -> List.of(t.id(), t.state(now), t.expiresAt().toString(),
                Boolean.toString(t.singleUse()), t.usedBy() == null ? "" : t.usedBy())).toList());
        return 0;
      }
    }
  }

  /** {@code pontoon token revoke ID}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a peering token; peerings made with it stay.",
      footerHeading = "%nExamples:%n", footer = "  pontoon token revoke 3f2a9c0d1e4b5a69")
  static final class RevokeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The token's id (first column of 'pontoon token list').")
    String id;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (KubernetesClient client = PontoonCommand.kubeOptions(spec).client()) {
        boolean done;
        try {
          done = new TokenStore(client).revoke(id);
        } catch (KubernetesClientException e) {
          throw Errors.kube(e, "update Secrets in pontoon-system");
        }
        if (!done) throw new UserError("no token with id " + id + "; 'pontoon token list' shows them");
        spec.commandLine().getOut().println("✔ token " + id + " revoked");
        spec.commandLine().getOut().flush();
        return 0;
      }
    }
  }
}
