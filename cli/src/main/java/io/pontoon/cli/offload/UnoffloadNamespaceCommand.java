package io.pontoon.cli.offload;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.NamespaceOffloading;
import io.pontoon.cli.PontoonCommand;
import io.pontoon.cli.UserError;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pontoon unoffload namespace NS}: deletes NamespaceOffloading {@code offloading}; the
 * agent removes the twin namespaces (and the pods in them) on every cluster before it is gone.
 */
@Command(
    name = "namespace",
    mixinStandardHelpOptions = true,
    description = {"Stop offloading a namespace: delete its NamespaceOffloading; the agent removes the",
        "twin namespaces on the peered clusters, with the pods running there."},
    footerHeading = "%nExamples:%n",
    footer = {"  pontoon unoffload namespace web", "  pontoon unoffload namespace web --wait --timeout 5m"})
public final class UnoffloadNamespaceCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAMESPACE", description = "The offloaded namespace.")
  String namespace;

  @Option(names = "--wait", description = "Wait until every twin namespace is gone.")
  boolean waitGone;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m",
      description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
  String timeout;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!PontoonNames.isDns1123Label(namespace)) {
      throw new UserError("namespace \"" + namespace + "\" is not a valid name", 2);
    }
    Duration deadline = OffloadStatus.duration("--timeout", timeout);
    PrintWriter out = spec.commandLine().getOut();
    try (KubernetesClient client = PontoonCommand.kubeOptions(spec).client()) {
      var resource = client.resources(NamespaceOffloading.class).inNamespace(namespace)
          .withName(PontoonNames.NAMESPACE_OFFLOADING_NAME);
      NamespaceOffloading o = resource.get();
      if (o == null) {
        out.println("namespace " + namespace + " is not offloaded (nothing to do)");
        out.flush();
        return 0;
      }
      var ns = client.namespaces().withName(namespace).get();
      if (ns != null && ns.getMetadata().getLabels() != null
          && "true".equals(ns.getMetadata().getLabels().get(PontoonNames.LABEL_ENABLED))) {
        // The agent would make a default NamespaceOffloading again at once.
        throw new UserError("namespace " + namespace + " is offloaded by its label " + PontoonNames.LABEL_ENABLED
            + "=true; remove the label instead: kubectl label namespace " + namespace + " "
            + PontoonNames.LABEL_ENABLED + "-");
      }
      resource.delete();
      out.println("namespace " + namespace + " unoffloading: twin namespaces are being removed");
      out.flush();
      if (waitGone) {
        long end = System.nanoTime() + deadline.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
          o = resource.get();
          if (o == null) {
            out.println("namespace " + namespace + " unoffloaded: no twin namespace is left");
            out.flush();
            return 0;
          }
          String now = OffloadStatus.summary(o);
          if (!now.equals(last)) {
            out.println("  " + now);
            out.flush();
            last = now;
          }
          Thread.sleep(500);
        }
        out.print(OffloadStatus.clusters(o));
        out.flush();
        throw new UserError("twin namespaces of " + namespace + " still present after " + deadline.toSeconds()
            + "s; the table above says which clusters; an unreachable cluster is cleaned when it comes back or is unpeered");
      }
    } catch (KubernetesClientException e) {
      throw new UserError("the API server refused: " + (e.getStatus() != null && e.getStatus().getMessage() != null
          ? e.getStatus().getMessage() : e.getMessage()));
    }
    return 0;
  }
}
