package io.pontoon.cli.peering;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ForeignCluster;
import io.pontoon.cli.PontoonCommand;
import io.pontoon.cli.UserError;
import io.pontoon.peering.foreigncluster.PeeringRequests;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pontoon unpeer NAME}: deletes the ForeignCluster; the agent's finalizer tells the
 * provider, stops the virtual kubelet, removes the virtual node, tenant namespaces and
 * RoleBindings. Without an agent the finalizer is removed here after --timeout, so nothing is
 * left stuck.
 */
@Command(
    name = "unpeer",
    mixinStandardHelpOptions = true,
    description = {"End the peering with cluster NAME on both sides: virtual node, virtual kubelet, twin namespaces,",
        "tenant namespaces and RoleBindings go away. If NAME is unreachable it is finished here and said so."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  pontoon --kubeconfig c1.kubeconfig unpeer cluster-2",
        "  pontoon unpeer cluster-2 --keep-namespaces --timeout 30s"})
public final class UnpeerCommand implements Callable<Integer> {
  @Parameters(paramLabel = "NAME", description = "The peer's cluster name (see 'pontoon status').")
  String name;

  @Option(names = "--keep-namespaces", description = "Keep the twin namespaces (and their pods) on the provider.")
  boolean keepNamespaces;

  @Option(names = "--timeout", defaultValue = "60s", converter = Durations.class,
      description = "How long to wait for the agent before finishing here (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Steps steps = new Steps(spec.commandLine().getOut());
    try (KubernetesClient home = PontoonCommand.kubeOptions(spec).client()) {
      var fcs = home.resources(ForeignCluster.class);
      ForeignCluster fc;
      try {
        fc = fcs.withName(name).get();
      } catch (KubernetesClientException e) {
        throw Errors.kube(e, "read ForeignCluster " + name);
      }
      if (fc == null) throw new UserError("no peering with " + name + "; 'pontoon status' lists the peers");
      Instant started = Instant.now().minusSeconds(1);
      try {
        if (keepNamespaces) {
          fcs.withName(name).edit(x -> {
            x.getMetadata().getAnnotations().put(PeeringRequests.ANNOTATION_KEEP_NAMESPACES, "true");
            return x;
          });
        }
        fcs.withName(name).delete();
      } catch (KubernetesClientException e) {
        throw Errors.kube(e, "delete ForeignCluster " + name);
      }
      Instant deadline = Instant.now().plus(timeout);
      while (fcs.withName(name).get() != null) {
        if (Instant.now().isAfter(deadline)) {
          // No agent finished it: release the finalizer so nothing stays stuck, and say what was skipped.
          fcs.withName(name).edit(x -> {
            x.getMetadata().setFinalizers(new ArrayList<>(x.getMetadata().getFinalizers().stream()
                .filter(f -> !PontoonNames.FINALIZER_PEERING.equals(f)).toList()));
            return x;
          });
          home.namespaces().withName(PontoonNames.tenantNamespace(name)).delete();
          home.nodes().withName(PontoonNames.virtualNodeName(name)).delete();
          // as the agent does: pods of the removed node have no kubelet left to end them
          home.pods().inAnyNamespace().withField("spec.nodeName", PontoonNames.virtualNodeName(name))
              .withGracePeriod(0).delete();
          steps.ok("unpeered " + name + " locally: no agent answered within " + timeout.toSeconds()
              + "s, so " + name + " was not told; run 'pontoon unpeer' against it too");
          return 0;
        }
        Thread.sleep(100);
      }
      String outcome = home.v1().events().inNamespace("default").list().getItems().stream()
          .filter(e -> PeeringRequests.EVENT_UNPEERED.equals(e.getReason()) && e.getInvolvedObject() != null
              && name.equals(e.getInvolvedObject().getName()))
          .filter(e -> e.getLastTimestamp() == null || !Instant.parse(e.getLastTimestamp()).isBefore(started))
          .max(Comparator.comparing(e -> e.getLastTimestamp() == null ? "" : e.getLastTimestamp()))
          .map(Event::getMessage).orElse("unpeered " + name);
      steps.ok(outcome);
      return 0;
    }
  }
}
