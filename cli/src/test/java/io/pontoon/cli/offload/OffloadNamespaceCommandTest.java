package io.pontoon.cli.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.pontoon.cli.PontoonCommand;
import io.pontoon.cli.UserError;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class OffloadNamespaceCommandTest {

  @Test
  void selectorTermsBecomeNodeSelectorRequirements() {
    var term = OffloadNamespaceCommand.parseSelector("region=eu, tier!=edge,gpu,!spot,topology.kubernetes.io/zone==a");
    assertThat(term.getMatchExpressions()).extracting(NodeSelectorRequirement::getKey, NodeSelectorRequirement::getOperator)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("region", "In"),
            org.assertj.core.groups.Tuple.tuple("tier", "NotIn"),
            org.assertj.core.groups.Tuple.tuple("gpu", "Exists"),
            org.assertj.core.groups.Tuple.tuple("spot", "DoesNotExist"),
            org.assertj.core.groups.Tuple.tuple("topology.kubernetes.io/zone", "In"));
    assertThat(term.getMatchExpressions().get(4).getValues()).containsExactly("a");
    assertThat(OffloadNamespaceCommand.parseSelector(null)).isNull();
  }

  @Test
  void badSelectorsAreUsageErrors() {
    assertThatThrownBy(() -> OffloadNamespaceCommand.parseSelector("=eu"))
        .isInstanceOfSatisfying(UserError.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("no valid label key");
    assertThatThrownBy(() -> OffloadNamespaceCommand.parseSelector("region=e u"))
        .hasMessageContaining("no valid label value");
  }

  @Test
  void helpHasExamples() {
    StringWriter out = new StringWriter();
    var cl = PontoonCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    assertThat(cl.execute("offload", "namespace", "--help")).isZero();
    assertThat(out.toString()).contains("--strategy").contains("Examples:").contains("pontoon offload namespace web");
    out.getBuffer().setLength(0);
    assertThat(cl.execute("unoffload", "namespace", "--help")).isZero();
    assertThat(out.toString()).contains("--wait").contains("Examples:");
  }
}
