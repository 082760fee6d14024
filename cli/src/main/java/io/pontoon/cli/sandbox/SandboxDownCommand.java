package io.pontoon.cli.sandbox;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pontoon sandbox down}: stops everything {@code up} started and removes what it made. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = "Stop the sandbox clusters of a directory and remove everything they created.",
    footerHeading = "%nExamples:%n",
    footer = "  pontoon sandbox down --dir /tmp/pontoon")
public final class SandboxDownCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, description = "The sandbox directory.")
  Path dir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    var state = SandboxState.read(dir);
    if (state.isEmpty()) {
      out.println("no sandbox in " + dir.toAbsolutePath() + "; nothing to stop");
      out.flush();
      return 0;
    }
    for (SandboxState.Cluster c : state.get().clusters()) {
      // What the agent started (virtual kubelets, gateways), in case it does not get to stop them.
      List<ProcessHandle> children = c.agentPid() > 0
          ? ProcessHandle.of(c.agentPid()).map(a -> a.descendants().toList()).orElse(List.of()) : List.of();
      // The agent first: it stops its virtual kubelets while its API server still answers.
      if (c.agentPid() > 0) ProcessHandle.of(c.agentPid()).ifPresent(SandboxDownCommand::stop);
      children.stream().filter(ProcessHandle::isAlive).forEach(SandboxDownCommand::stop);
      ProcessHandle.of(c.pid()).ifPresent(p -> {
        p.destroy();
        try {
          p.onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
          p.destroyForcibly();
        }
      });
      out.println("✔ stopped " + c.name());
      out.flush();
    }
    SandboxCleanup.afterStop(state.get());
    for (SandboxState.Cluster c : state.get().clusters()) deleteTree(SandboxDir.cluster(dir, c.name()));
    SandboxState.delete(dir);
    try (var rest = Files.list(dir)) {
      if (rest.findAny().isEmpty()) Files.delete(dir);
    }
    out.println("✔ removed the sandbox's files from " + dir.toAbsolutePath());
    out.flush();
    return 0;
  }

  private static void stop(ProcessHandle p) {
    p.destroy();
    try {
      p.onExit().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
