package io.pontoon.cli.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What {@code pontoon sandbox up} started in a directory, kept in {@code DIR/sandbox.json} so
 * {@code status}, {@code node} and {@code down} find it again.
 *
 * @param sandboxId short id that makes this sandbox's network names unique on the host
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SandboxState(String sandboxId, boolean dataplane, List<Cluster> clusters) {

  /**
   * One cluster process.
   *
   * @param gatewayNetns the cluster's gateway network namespace (dataplane only; null otherwise and
   *     in state files written before gateways existed)
   * @param gatewayAddress the gateway's WAN address, where other clusters' gateways reach it
   *     (dataplane only, else null)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cluster(String name, long pid, String url, String kubeconfig, String log, long agentPid,
      String gatewayNetns, String gatewayAddress) {
    /** Without a gateway (no dataplane). */
    public Cluster(String name, long pid, String url, String kubeconfig, String log, long agentPid) {
      this(name, pid, url, kubeconfig, log, agentPid, null, null);
    }

    /** Without an agent (state files written before agents existed read as agentPid 0). */
    public Cluster(String name, long pid, String url, String kubeconfig, String log) {
      this(name, pid, url, kubeconfig, log, 0);
    }
  }

  static final String FILE = "sandbox.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  static Optional<SandboxState> read(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (!Files.exists(f)) return Optional.empty();
    return Optional.of(JSON.readValue(f.toFile(), SandboxState.class));
  }

  void write(Path dir) throws IOException {
    Path tmp = dir.resolve(FILE + ".tmp");
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void delete(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(FILE));
  }

  /** True while at least one of its processes is alive. */
  boolean anyAlive() {
    return clusters.stream().anyMatch(c -> ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive).orElse(false)
        || c.agentPid() > 0 && ProcessHandle.of(c.agentPid()).map(ProcessHandle::isAlive).orElse(false));
  }

  Optional<Cluster> cluster(String name) {
    return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
