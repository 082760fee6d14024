package io.pontoon.sandbox.apiserver.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pontoon.sandbox.apiserver.ApiException;
import io.pontoon.sandbox.apiserver.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {
  private static final String NAME_RULE = "name part must consist of alphanumeric characters, '-', '_' or '.', and "
      + "must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
      + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  private static final String VALUE_RULE = "a valid label must be an empty string or consist of alphanumeric "
      + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
      + "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

  private static JsonNode json(String s) {
    return Json.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String parseError(String selector) {
    try {
      LabelSelector.parse(selector);
    } catch (ApiException e) {
      assertThat(e.code()).isEqualTo(400);
      assertThat(e.reason()).isEqualTo("BadRequest");
      return e.getMessage();
    }
    throw new AssertionError("no error for " + selector);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t \n"})
  void emptySelectorsSelectEverything(String s) {
    LabelSelector sel = LabelSelector.parse(s);
    assertThat(sel.isEmpty()).isTrue();
    assertThat(sel.matches(Map.of())).isTrue();
    assertThat(sel.matches(Map.of("a", "b"))).isTrue();
  }

  @Test
  void nullStringSelectsEverything() {
    assertThat(LabelSelector.parse(null).matches(Map.of("x", "y"))).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "x=a|x=a",
      "x==a|x==a",
      "x!=a|x!=a",
      "x in (b,a)|x in (a,b)",
      "x notin (a)|x notin (a)",
      "x|x",
      "!x|!x",
      "x>1|x>1",
      "x<1|x<1",
      "  y = a ,  x in(a)  |x in (a),y=a",
      "x=|x=",
      "x in ()|x in ()",
      "x in (a,,b)|x in (,a,b)",
      "x in (,a)|x in (,a)",
      "x in (a,)|x in (,a)",
      "in in (in)|in in (in)",
      "notin notin (notin)|notin notin (notin)",
      "example.com/app=web|example.com/app=web",
      "a!=b,c|a!=b,c",
  })
  void parsesAndPrintsCanonically(String input, String canonical) {
    assertThat(LabelSelector.parse(input).toString()).isEqualTo(canonical);
  }

  @Test
  void matchingSemantics() {
    Map<String, String> labels = Map.of("app", "web", "tier", "front", "n", "5");
    assertThat(LabelSelector.parse("app=web").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("app==web,tier=front").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("app=web,tier=back").matches(labels)).isFalse();
    assertThat(LabelSelector.parse("app!=db").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("missing!=x").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("app in (db,web)").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("missing in (db,web)").matches(labels)).isFalse();
    assertThat(LabelSelector.parse("app notin (db,web)").matches(labels)).isFalse();
    assertThat(LabelSelector.parse("missing notin (db)").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("app").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("!app").matches(labels)).isFalse();
    assertThat(LabelSelector.parse("!missing").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("n>4").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("n>5").matches(labels)).isFalse();
    assertThat(LabelSelector.parse("n<6").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("app>1").matches(labels)).isFalse(); // not a number
    assertThat(LabelSelector.parse("missing<1").matches(labels)).isFalse();
    assertThat(LabelSelector.parse("app=").matches(labels)).isFalse();
    assertThat(LabelSelector.parse("e=").matches(Map.of("e", ""))).isTrue();
    assertThat(LabelSelector.parse("e in ()").matches(Map.of("e", ""))).isTrue();
  }

  @Test
  void matchesMetadataLabelsNode() {
    LabelSelector sel = LabelSelector.parse("app=web");
    assertThat(sel.matches(json("{\"app\":\"web\"}"))).isTrue();
    assertThat(sel.matches(json("{\"app\":\"db\"}"))).isFalse();
    assertThat(sel.matches((JsonNode) null)).isFalse();
    assertThat(LabelSelector.parse("!app").matches((JsonNode) null)).isTrue();
    assertThat(LabelSelector.parse("").matches(json("{}").path("labels"))).isTrue();
  }

  @Test
  void exactValueForIndexing() {
    assertThat(LabelSelector.parse("a=1,b in (2),c in (3,4),d!=5").exactValue("a")).contains("1");
    assertThat(LabelSelector.parse("a==1").exactValue("a")).contains("1");
    assertThat(LabelSelector.parse("b in (2)").exactValue("b")).contains("2");
    assertThat(LabelSelector.parse("c in (3,4)").exactValue("c")).isEmpty();
    assertThat(LabelSelector.parse("d!=5").exactValue("d")).isEmpty();
    assertThat(LabelSelector.parse("a=1").exactValue("zzz")).isEmpty();
  }

  @Test
  void structuralErrorsUseKubeWording() {
    assertThat(parseError("x=a,")).isEqualTo("found '', expected: identifier after ','");
    assertThat(parseError(",x")).isEqualTo("found ',', expected: !, identifier, or 'end of string'");
    assertThat(parseError("x=a y")).isEqualTo("found 'y', expected: ',' or 'end of string'");
    assertThat(parseError("x y")).isEqualTo(
        "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt");
    assertThat(parseError("x in a")).isEqualTo("unable to parse requirement: found 'a' expected: '('");
    assertThat(parseError("x in (a b)")).isEqualTo("unable to parse requirement: found 'b', expected: ',' or ')'");
    assertThat(parseError("x in (a")).isEqualTo("unable to parse requirement: found '', expected: ',' or ')'");
    assertThat(parseError("x in (=")).isEqualTo(
        "unable to parse requirement: found '=', expected: ',', ')' or identifier");
    assertThat(parseError("x in (,")).isEqualTo("unable to parse requirement: found '', expected: ',', or identifier");
    assertThat(parseError("x==(")).isEqualTo("unable to parse requirement: found '(', expected: identifier");
    assertThat(parseError("!")).isEqualTo("unable to parse requirement: found '', expected: identifier");
    assertThat(parseError("!x=a")).isEqualTo("found '=', expected: ',' or 'end of string'");
    assertThat(parseError(")")).isEqualTo("found ')', expected: !, identifier, or 'end of string'");
  }

  @Test
  void invalidKeysAndValues() {
    assertThat(parseError("a_=b")).isEqualTo(
        "unable to parse requirement: <nil>: Invalid value: \"a_\": " + NAME_RULE);
    assertThat(parseError("component+kube-apiserver")).startsWith(
        "unable to parse requirement: <nil>: Invalid value: \"component+kube-apiserver\": name part must consist");
    assertThat(parseError("Example.com/a=b")).startsWith(
        "unable to parse requirement: <nil>: Invalid value: \"Example.com/a\": prefix part a lowercase RFC 1123 "
            + "subdomain must consist of lower case alphanumeric characters");
    assertThat(parseError("/a")).isEqualTo("unable to parse requirement: <nil>: Invalid value: \"/a\": "
        + "prefix part must be non-empty");
    assertThat(parseError("a/b/c")).startsWith("unable to parse requirement: <nil>: Invalid value: \"a/b/c\": "
        + "a valid label key must consist of alphanumeric characters");
    String longName = "a".repeat(64);
    assertThat(parseError(longName)).isEqualTo("unable to parse requirement: <nil>: Invalid value: \"" + longName
        + "\": name part must be no more than 63 bytes");
    assertThat(parseError("app=-web")).isEqualTo(
        "unable to parse requirement: values[0][app]: Invalid value: \"-web\": " + VALUE_RULE);
    assertThat(parseError("app in (-a,-b)")).isEqualTo("unable to parse requirement: ["
        + "values[0][app]: Invalid value: \"-a\": " + VALUE_RULE + ", "
        + "values[1][app]: Invalid value: \"-b\": " + VALUE_RULE + "]");
    assertThat(parseError("app=" + "v".repeat(64))).isEqualTo("unable to parse requirement: values[0][app]: "
        + "Invalid value: \"" + "v".repeat(64) + "\": must be no more than 63 bytes");
    assertThat(parseError("n>x")).isEqualTo("unable to parse requirement: values[0]: Invalid value: \"x\": "
        + "for 'Gt', 'Lt' operators, the value must be an integer");
    assertThat(LabelSelector.parse("a=" + "v".repeat(63)).requirements()).hasSize(1);
    assertThat(LabelSelector.parse("example.com/" + "k".repeat(63) + "=v").requirements()).hasSize(1);
  }

  @Test
  void labelSelectorObjectNullMatchesNothingEmptyMatchesEverything() {
    assertThat(LabelSelector.fromLabelSelector(null).matches(Map.of())).isFalse();
    assertThat(LabelSelector.fromLabelSelector(json("null")).matches(Map.of("a", "b"))).isFalse();
    assertThat(LabelSelector.fromLabelSelector(json("{}")).matches(Map.of())).isTrue();
    assertThat(LabelSelector.fromLabelSelector(json("{\"matchLabels\":{}}")).matches(Map.of("a", "b"))).isTrue();
  }

  @Test
  void labelSelectorObject() {
    LabelSelector sel = LabelSelector.fromLabelSelector(json("""
        {"matchLabels": {"app": "web"},
         "matchExpressions": [
           {"key": "tier", "operator": "In", "values": ["front", "edge"]},
           {"key": "env", "operator": "NotIn", "values": ["prod"]},
           {"key": "team", "operator": "Exists"},
           {"key": "legacy", "operator": "DoesNotExist"}]}
        """));
    assertThat(sel.matches(Map.of("app", "web", "tier", "edge", "team", "x"))).isTrue();
    assertThat(sel.matches(Map.of("app", "web", "tier", "edge", "team", "x", "env", "prod"))).isFalse();
    assertThat(sel.matches(Map.of("app", "web", "tier", "edge"))).isFalse();
    assertThat(sel.matches(Map.of("app", "web", "tier", "edge", "team", "x", "legacy", ""))).isFalse();
    assertThat(sel.toString()).isEqualTo("app=web,env notin (prod),legacy,team,tier in (edge,front)".replace(
        "legacy", "!legacy"));
  }

  @Test
  void labelSelectorObjectErrors() {
    assertThatThrownBy(() -> LabelSelector.fromLabelSelector(json(
        "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Gt\",\"values\":[\"1\"]}]}")))
        .isInstanceOf(ApiException.class).hasMessage("\"Gt\" is not a valid label selector operator");
    assertThatThrownBy(() -> LabelSelector.fromLabelSelector(json(
        "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\"}]}")))
        .hasMessage("values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty");
    assertThatThrownBy(() -> LabelSelector.fromLabelSelector(json(
        "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\",\"values\":[\"x\"]}]}")))
        .hasMessage("values: Invalid value: [\"x\"]: values set must be empty for exists and does not exist");
    assertThatThrownBy(() -> LabelSelector.fromLabelSelector(json("{\"matchLabels\":{\"a b\":\"x\"}}")))
        .hasMessage("key: Invalid value: \"a b\": " + NAME_RULE);
  }

  @Test
  void fromSet() {
    LabelSelector sel = LabelSelector.fromSet(Map.of("b", "2", "a", "1"));
    assertThat(sel.toString()).isEqualTo("a=1,b=2");
    assertThat(sel.matches(Map.of("a", "1", "b", "2", "c", "3"))).isTrue();
    assertThat(LabelSelector.fromSet(Map.of()).isEmpty()).isTrue();
    assertThat(LabelSelector.nothing().isEmpty()).isFalse();
    assertThat(LabelSelector.nothing().matchesNothing()).isTrue();
    assertThat(LabelSelector.parse("a=1").requirements())
        .containsExactly(new LabelRequirement("a", LabelOperator.EQUALS, List.of("1")));
  }
}
