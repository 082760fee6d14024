package io.pontoon.gateway.nat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import io.pontoon.gateway.HostCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies, reads and removes one nft table in the namespace of the given {@link HostCommands}. */
public final class Nft {
  private static final Logger LOG = LoggerFactory.getLogger(Nft.class);
  private final HostCommands cmd;

  public Nft(HostCommands cmd) {
    this.cmd = cmd;
  }

  /** Makes {@code table} hold exactly the NAT of {@code peers}, in one transaction. */
  public void apply(String table, List<PeerNat> peers) {
    applyScript(NatRuleset.render(table, peers));
    LOG.info("nft=applied table={} peers={}", table, peers.size());
  }

  /**
   * Runs an nft script through stdin as one transaction; on failure nothing changed and the
   * exception carries nft's message.
   */
  public void applyScript(String script) {
    cmd.run(List.of("nft", "-f", "-"), script.getBytes(StandardCharsets.UTF_8)).orThrow();
  }

  /** {@code nft list table ip TABLE}, or empty when the table does not exist. */
  public Optional<String> list(String table) {
    NatRuleset.requireTable(table);
    HostCommands.Result r = cmd.run(List.of("nft", "list", "table", "ip", table), null);
    return r.ok() ? Optional.of(r.stdout()) : Optional.empty();
  }

  /** Deletes the table; a no-op when it does not exist. */
  public void delete(String table) {
    if (list(table).isPresent()) {
      HostCommands.Result r = cmd.run(List.of("nft", "delete", "table", "ip", table), null);
      if (!r.ok() && list(table).isPresent()) {
        r.orThrow();
      }
      LOG.info("nft=deleted table={}", table);
    }
  }
}
