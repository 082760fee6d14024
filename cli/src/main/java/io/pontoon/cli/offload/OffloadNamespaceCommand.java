package io.pontoon.cli.offload;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.NamespaceMappingStrategy;
import io.pontoon.api.v1alpha1.NamespaceOffloading;
import io.pontoon.api.v1alpha1.NamespaceOffloadingSpec;
import io.pontoon.api.v1alpha1.OffloadingPhase;
import io.pontoon.api.v1alpha1.PodOffloadingStrategy;
import io.pontoon.cli.PontoonCommand;
import io.pontoon.cli.UserError;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pontoon offload namespace NS}: writes NamespaceOffloading {@code offloading} in NS
 * (created, or its spec updated in place), and with {@code --wait} follows its status until every
 * selected cluster has the twin namespace.
 */
@Command(
    name = "namespace",
    mixinStandardHelpOptions = true,
    description = {"Offload a namespace: write its NamespaceOffloading; the agent creates twin namespaces",
        "on the selected peered clusters and its webhook places new pods by the strategy."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  pontoon offload namespace web --strategy Remote --wait",
        "  pontoon offload namespace shop --mapping EnforceSameName --selector region=eu,tier!=edge",
        "  pontoon offload namespace db --mapping SelectedName --remote-namespace db-replica --strategy LocalAndRemote",
        "",
        "Strategies: Local (never on virtual nodes), Remote (only on virtual nodes),",
        "LocalAndRemote (either; the default). Mappings: DefaultName (<namespace>-<this cluster>),",
        "EnforceSameName, SelectedName (--remote-namespace).",
        "Selector terms are ANDed: key=value, key!=value, key (exists), !key (does not exist),",
        "over the labels of the virtual nodes ('kubectl get nodes -l pontoon.io/type=virtual-node --show-labels')."})
public final class OffloadNamespaceCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAMESPACE", description = "The namespace to offload.")
  String namespace;

  @Option(names = "--strategy", paramLabel = "STRATEGY", defaultValue = "LocalAndRemote",
      description = "Where its pods may run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  PodOffloadingStrategy strategy;

  @Option(names = "--mapping", paramLabel = "MAPPING", defaultValue = "DefaultName",
      description = "How twin namespaces are named: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  NamespaceMappingStrategy mapping;

  @Option(names = "--remote-namespace", paramLabel = "NAME",
      description = "Twin namespace name; required with --mapping SelectedName, refused otherwise.")
  String remoteNamespace;

  @Option(names = "--selector", paramLabel = "TERMS",
      description = "Which peered clusters, by virtual-node labels: key=value,key!=value,key,!key (default: all).")
  String selector;

  @Option(names = "--wait", description = "Wait until the twin namespace is ready on every selected cluster.")
  boolean waitReady;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m",
      description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
  String timeout;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    validate();
    Duration deadline = OffloadStatus.duration("--timeout", timeout);
    PrintWriter out = spec.commandLine().getOut();
    try (KubernetesClient client = PontoonCommand.kubeOptions(spec).client()) {
      NamespaceOffloading written = write(client, out);
      if (waitReady) {
        waitForReady(client, written, deadline, out);
      }
    } catch (KubernetesClientException e) {
      throw new UserError("the API server refused: " + (e.getStatus() != null && e.getStatus().getMessage() != null
          ? e.getStatus().getMessage() : e.getMessage()) + hint(e));
    }
    out.flush();
    return 0;
  }

  private static String hint(KubernetesClientException e) {
    if (e.getCode() == 404) {
      return "; is Pontoon installed (the NamespaceOffloading CRD)? 'kubectl get crd namespaceoffloadings.pontoon.io'";
    }
    return "";
  }

  private void validate() {
    if (!PontoonNames.isDns1123Label(namespace)) {
      throw new UserError("namespace \"" + namespace + "\" is not a valid name (lowercase letters, digits and '-', "
          + "at most 63)", 2);
    }
    if (mapping == NamespaceMappingStrategy.SelectedName) {
      if (remoteNamespace == null) {
        throw new UserError("--mapping SelectedName needs --remote-namespace NAME", 2);
      }
      if (!PontoonNames.isDns1123Label(remoteNamespace)) {
        throw new UserError("--remote-namespace \"" + remoteNamespace + "\" is not a valid namespace name", 2);
      }
    } else if (remoteNamespace != null) {
      throw new UserError("--remote-namespace is only used with --mapping SelectedName (got --mapping " + mapping + ")", 2);
    }
  }

  /** Parses {@code --selector} into a NodeSelectorTerm; null when absent. */
  static NodeSelectorTerm parseSelector(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    List<NodeSelectorRequirement> reqs = new ArrayList<>();
    for (String raw : text.split(",")) {
      String part = raw.strip();
      if (part.isEmpty()) {
        throw new UserError("--selector has an empty term in \"" + text + "\"; write key=value,key2=value2", 2);
      }
      NodeSelectorRequirementBuilder b = new NodeSelectorRequirementBuilder();
      if (part.contains("!=")) {
        String[] kv = part.split("!=", 2);
        b.withKey(kv[0].strip()).withOperator("NotIn").withValues(kv[1].strip());
      } else if (part.contains("=")) {
        String[] kv = part.split("==?", 2);
        b.withKey(kv[0].strip()).withOperator("In").withValues(kv[1].strip());
      } else if (part.startsWith("!")) {
        b.withKey(part.substring(1).strip()).withOperator("DoesNotExist");
      } else {
        b.withKey(part).withOperator("Exists");
      }
      NodeSelectorRequirement r = b.build();
      if (!r.getKey().matches("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
        throw new UserError("--selector term \"" + part + "\" has no valid label key", 2);
      }
      if (r.getValues() != null && r.getValues().stream().anyMatch(v -> !v.matches("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?"))) {
        throw new UserError("--selector term \"" + part + "\" has no valid label value", 2);
      }
      reqs.add(r);
    }
    return new NodeSelectorTermBuilder().withMatchExpressions(reqs).build();
  }

  private NamespaceOffloading write(KubernetesClient client, PrintWriter out) {
    if (client.namespaces().withName(namespace).get() == null) {
      throw new UserError("namespace " + namespace + " does not exist; create it first: kubectl create namespace " + namespace);
    }
    // The controller writes the status (and a finalizer) meanwhile; a conflict means a stale read.
    for (int attempt = 1; ; attempt++) {
      try {
        return writeOnce(client, out);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 8) throw e;
      }
    }
  }

  private NamespaceOffloading writeOnce(KubernetesClient client, PrintWriter out) {
    NamespaceOffloadingSpec desired = new NamespaceOffloadingSpec();
    desired.setPodOffloadingStrategy(strategy);
    desired.setNamespaceMappingStrategy(mapping);
    desired.setSelectedNamespaceName(remoteNamespace);
    desired.setClusterSelector(parseSelector(selector));
    var ops = client.resources(NamespaceOffloading.class).inNamespace(namespace);
    NamespaceOffloading existing = ops.withName(PontoonNames.NAMESPACE_OFFLOADING_NAME).get();
    if (existing == null) {
      NamespaceOffloading o = new NamespaceOffloading();
      o.getMetadata().setName(PontoonNames.NAMESPACE_OFFLOADING_NAME);
      o.getMetadata().setNamespace(namespace);
      o.setSpec(desired);
      NamespaceOffloading created = ops.resource(o).create();
      out.println("namespace " + namespace + " offloaded (strategy " + strategy + ", mapping " + mapping + ")");
      return created;
    }
    if (existing.getMetadata().getDeletionTimestamp() != null) {
      throw new UserError("namespace " + namespace + " is being unoffloaded; wait for that to finish "
          + "(pontoon unoffload namespace " + namespace + " --wait), then offload it again");
    }
    if (Objects.equals(existing.getSpec(), desired)) {
      out.println("namespace " + namespace + " already offloaded this way (unchanged)");
      return existing;
    }
    existing.setSpec(desired);
    NamespaceOffloading updated = ops.resource(existing).update();
    out.println("namespace " + namespace + " offloading updated (strategy " + strategy + ", mapping " + mapping + ")");
    return updated;
  }

  private void waitForReady(KubernetesClient client, NamespaceOffloading written, Duration timeout, PrintWriter out)
      throws InterruptedException {
    long generation = written.getMetadata().getGeneration() == null ? 0 : written.getMetadata().getGeneration();
    long end = System.nanoTime() + timeout.toNanos();
    String last = "";
    NamespaceOffloading o = written;
    while (System.nanoTime() < end) {
      o = client.resources(NamespaceOffloading.class).inNamespace(namespace)
          .withName(PontoonNames.NAMESPACE_OFFLOADING_NAME).get();
      if (o == null) {
        throw new UserError("NamespaceOffloading " + namespace + "/offloading disappeared while waiting (unoffloaded?)");
      }
      boolean current = o.getStatus() != null && Conditions.find(o.getStatus().getConditions(),
          PontoonNames.ConditionTypes.READY).map(c -> c.getObservedGeneration() != null
              && c.getObservedGeneration() >= generation).orElse(false);
      String now = OffloadStatus.summary(o);
      if (current && !now.equals(last)) {
        out.println("  " + now);
        out.flush();
        last = now;
      }
      if (current && o.getStatus().getPhase() == OffloadingPhase.Ready) {
        out.print(OffloadStatus.clusters(o));
        out.println("namespace " + namespace + " is ready on " + o.getStatus().getClusters().size()
            + " cluster(s) as " + o.getStatus().getRemoteNamespaceName());
        return;
      }
      if (current && o.getStatus().getPhase() == OffloadingPhase.NoClusterSelected) {
        throw new UserError("no peered cluster matches " + (selector == null ? "(all virtual nodes)" : "--selector " + selector)
            + "; 'kubectl get nodes -l pontoon.io/type=virtual-node --show-labels' lists the virtual nodes");
      }
      Thread.sleep(500);
    }
    out.print(OffloadStatus.clusters(o));
    out.flush();
    throw new UserError("namespace " + namespace + " not ready after " + timeout.toSeconds() + "s: "
        + OffloadStatus.summary(o) + "; the table above shows each cluster");
  }
}
