package io.pontoon.gateway.nat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import io.pontoon.gateway.HostCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies, reads and removes one of Pontoon's nft tables (family {@link NatRuleset#FAMILY}) in the
 * namespace of the given {@link HostCommands}.
 */
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

  /** {@code nft list table netdev TABLE}, or empty when the table does not exist. */
  public Optional<String> list(String table) {
    return list(NatRuleset.FAMILY, table);
  }

  private Optional<String> list(String family, String table) {
    NatRuleset.requireTable(table);
    HostCommands.Result r = cmd.run(List.of("nft", "list", "table", family, table), null);
    return r.ok() ? Optional.of(r.stdout()) : Optional.empty();
  }

  /**
   * Deletes the table (and an {@code ip} table of that name left by an earlier version); a no-op
   * when none exists.
   */
  public void delete(String table) {
    for (String family : List.of(NatRuleset.FAMILY, NatRuleset.LEGACY_FAMILY)) {
      if (list(family, table).isPresent()) {
        HostCommands.Result r = cmd.run(List.of("nft", "delete", "table", family, table), null);
        if (!r.ok() && list(family, table).isPresent()) {
          r.orThrow();
        }
        LOG.info("nft=deleted table={} family={}", table, family);
      }
    }
  }
}
