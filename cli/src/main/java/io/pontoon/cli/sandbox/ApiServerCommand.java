package io.pontoon.cli.sandbox;

import io.pontoon.cli.UserError;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pontoon sandbox apiserver}: one sandbox API server in the foreground. */
@Command(
    name = "apiserver",
    mixinStandardHelpOptions = true,
    description = {"Run one sandbox Kubernetes API server in the foreground until interrupted.",
        "It keeps everything in memory and behaves like kube-apiserver for kubectl and client libraries."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  pontoon sandbox apiserver --name demo --kubeconfig-out /tmp/demo.kubeconfig",
        "  KUBECONFIG=/tmp/demo.kubeconfig kubectl get namespaces"})
public final class ApiServerCommand implements Callable<Integer> {
  @Option(names = "--name", required = true, description = "Cluster name (a DNS-1123 label).")
  String name;

  @Option(names = "--port", defaultValue = "0", description = "HTTPS port; 0 picks a free one (default).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--kubeconfig-out", required = true, description = "Where to write the admin kubeconfig.")
  Path kubeconfigOut;

  @Option(names = "--data-dir", description = "Keep the cluster CA here, so restarts keep trusting old kubeconfigs.")
  Path dataDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SandboxApiServer.Options options;
    try {
      options = SandboxApiServer.Options.defaults(name).withPort(port).withHost(host).withDataDir(dataDir);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    SandboxApiServer server;
    try {
      server = SandboxApiServer.start(options);
    } catch (IllegalStateException e) {
      throw new UserError(e.getMessage() + " (try another --port, or --port 0 for a free one)");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "pontoon-shutdown"));
    server.writeAdminKubeconfig(kubeconfigOut.toAbsolutePath());
    PrintWriter out = spec.commandLine().getOut();
    out.println("sandbox API server \"" + name + "\" listening on " + server.url());
    out.println("admin kubeconfig written to " + kubeconfigOut.toAbsolutePath());
    out.println();
    out.println("  export KUBECONFIG=" + kubeconfigOut.toAbsolutePath());
    out.println("  kubectl get namespaces");
    out.println();
    out.println("Press Ctrl-C to stop.");
    out.flush();
    stopped.await();
    return 0;
  }
}
