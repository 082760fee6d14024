package io.pontoon.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code --kubeconfig} and {@code --context}, as kubectl has them: given on the root command
 * and inherited by every subcommand. Without {@code --kubeconfig}: {@code $KUBECONFIG}, then
 * {@code ~/.kube/config}, then the in-cluster service account.
 */
public final class KubeOptions {
  @Option(
      names = "--kubeconfig",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "Kubeconfig of the cluster to act on (default: $KUBECONFIG, ~/.kube/config, in-cluster).")
  Path kubeconfig;

  @Option(
      names = "--context",
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      description = "Context of the kubeconfig to use (default: its current context).")
  String context;

  public Path kubeconfig() {
    return kubeconfig;
  }

  public String context() {
    return context;
  }

  /** The client configuration these options select; a bad file is a {@link UserError}. */
  public Config config() {
    return config(kubeconfig, context);
  }

  public KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  /** Configuration of {@code file} (or the defaults when null) with {@code context}. */
  public static Config config(Path file, String context) {
    if (file == null) {
      return Config.autoConfigure(context);
    }
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      throw new UserError("cannot read kubeconfig " + file + ": " + e.getMessage()
          + "; check the path given to --kubeconfig", 2);
    }
    try {
      return Config.fromKubeconfig(context, yaml, file.toString());
    } catch (RuntimeException e) {
      throw new UserError("kubeconfig " + file + " is not usable"
          + (context == null ? "" : " with context " + context) + ": " + e.getMessage(), 2);
    }
  }
}
