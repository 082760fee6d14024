package io.pontoon.cli.offload;

import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.NamespaceOffloading;
import io.pontoon.api.v1alpha1.TwinNamespaceStatus;
import io.pontoon.cli.Table;
import io.pontoon.cli.UserError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shared by offload and unoffload: durations, and the per-cluster table of a NamespaceOffloading. */
final class OffloadStatus {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private OffloadStatus() {}

  static Duration duration(String flag, String value) {
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches()) {
      throw new UserError(flag + " must be a duration like 90s, 2m or 1h, got \"" + value + "\"", 2);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  static String clusters(NamespaceOffloading o) {
    List<List<String>> rows = new ArrayList<>();
    if (o.getStatus() != null) {
      for (TwinNamespaceStatus c : o.getStatus().getClusters()) {
        rows.add(List.of(String.valueOf(c.getClusterName()), String.valueOf(c.getNamespace()),
            String.valueOf(c.getPhase()), c.getMessage() == null ? "" : c.getMessage()));
      }
    }
    return Table.render(List.of("cluster", "twin namespace", "phase", "message"), rows);
  }

  /** One line: phase and, when not ready, the Ready condition's reason and message. */
  static String summary(NamespaceOffloading o) {
    if (o.getStatus() == null || o.getStatus().getPhase() == null) {
      return "waiting for the agent to pick it up";
    }
    String phase = String.valueOf(o.getStatus().getPhase());
    return Conditions.find(o.getStatus().getConditions(), PontoonNames.ConditionTypes.READY)
        .filter(c -> !PontoonNames.ConditionStatus.TRUE.equals(c.getStatus()))
        .map(c -> phase + " (" + c.getReason() + (c.getMessage().isEmpty() ? "" : ": " + c.getMessage()) + ")")
        .orElse(phase);
  }
}
