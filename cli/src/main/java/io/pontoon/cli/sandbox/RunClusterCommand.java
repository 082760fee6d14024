package io.pontoon.cli.sandbox;

import io.pontoon.sandbox.cluster.ClusterSpec;
import io.pontoon.sandbox.cluster.SandboxCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pontoon sandbox run-cluster}: one sandbox cluster in the foreground. {@code sandbox up}
 * starts one of these per cluster in the background; it writes {@code DIR/ready} once serving.
 */
@Command(name = "run-cluster", hidden = true, mixinStandardHelpOptions = true,
    description = "Run one sandbox cluster in the foreground (what 'sandbox up' starts per cluster).")
public final class RunClusterCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, description = "The cluster's directory.")
  Path dir;

  @Option(names = "--name", required = true, description = "Cluster name.")
  String name;

  @CommandLine.Mixin ClusterShapeOptions shape;

  @Option(names = "--index", defaultValue = "1", description = "The cluster's number in its sandbox.")
  int index;

  @Option(names = "--sandbox-id", description = "Short id of the sandbox (unique network names on the host).")
  String sandboxId;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve("ready"));
    ClusterSpec spec = shape.applyTo(ClusterSpec.defaults(name)).withDir(dir).inSandbox(index, sandboxId);
    SandboxCluster cluster = SandboxCluster.start(spec);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      cluster.close();
      stopped.countDown();
    }, "pontoon-shutdown"));
    cluster.writeAdminKubeconfig(dir.resolve("kubeconfig"));
    Path tmp = dir.resolve("ready.tmp");
    Files.writeString(tmp, ProcessHandle.current().pid() + " " + cluster.apiServer().url() + "\n",
        StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve("ready"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    System.out.println("cluster " + name + " ready at " + cluster.apiServer().url());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
