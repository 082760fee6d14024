package io.pontoon.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The CRD YAML committed in {@code manifests/crds/} must be what the types generate, so that a
 * change to a type cannot ship without its CRD. Compares parsed YAML, not bytes.
 */
class CrdDriftTest {

  private static final String HOW_TO_FIX =
      "\nThe committed CRDs in manifests/crds/ differ from what the api/ types generate."
          + "\nRegenerate them from the repository root with:\n    "
          + CrdFiles.REGENERATE
          + "\nand commit manifests/crds/.";

  @Test
  void generatorWroteOneCrdPerKind() {
    assertThat(CrdFiles.read(CrdFiles.generatedDir()).keySet())
        .as("generated CRDs in %s (run through Maven: the plugin runs in process-classes)",
            CrdFiles.generatedDir().toAbsolutePath())
        .containsExactlyInAnyOrder(
            "foreignclusters" + CrdFiles.SUFFIX,
            "resourceslices" + CrdFiles.SUFFIX,
            "namespaceoffloadings" + CrdFiles.SUFFIX,
            "shadowpods" + CrdFiles.SUFFIX,
            "networkconfigs" + CrdFiles.SUFFIX,
            "tunnels" + CrdFiles.SUFFIX,
            "twinnamespaces" + CrdFiles.SUFFIX);
  }

  @Test
  void committedCrdsMatchTheGeneratedOnes() {
    Map<String, JsonNode> generated = CrdFiles.read(CrdFiles.generatedDir());
    Map<String, JsonNode> committed = CrdFiles.read(CrdFiles.committedDir());
    List<String> problems = new ArrayList<>();
    for (String name : new TreeSet<>(generated.keySet())) {
      if (!committed.containsKey(name)) {
        problems.add(name + ": missing in manifests/crds/");
      } else {
        firstDifference("", committed.get(name), generated.get(name))
            .ifPresent(d -> problems.add(name + ": " + d));
      }
    }
    for (String name : committed.keySet()) {
      if (!generated.containsKey(name)) {
        problems.add(name + ": no type generates it any more");
      }
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems) + HOW_TO_FIX);
    }
  }

  @Test
  void kustomizationListsEveryCrd() throws IOException {
    JsonNode kustomization =
        new YAMLMapper().readTree(CrdFiles.committedDir().resolve("kustomization.yaml").toFile());
    List<String> resources = new ArrayList<>();
    kustomization.path("resources").forEach(r -> resources.add(r.asText()));
    assertThat(resources)
        .as("resources of manifests/crds/kustomization.yaml")
        .containsExactlyInAnyOrderElementsOf(CrdFiles.read(CrdFiles.committedDir()).keySet());
  }

  /** A JSON-pointer-like path and both values where the trees first differ, if they do. */
  static Optional<String> firstDifference(
      String path, JsonNode committed, JsonNode generated) {
    if (committed.equals(generated)) {
      return Optional.empty();
    }
    if (committed.isObject() && generated.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      committed.fieldNames().forEachRemaining(keys::add);
      generated.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        JsonNode c = committed.get(key);
        JsonNode g = generated.get(key);
        if (c == null || g == null) {
          return Optional.of(
              path
                  + "/"
                  + key
                  + (c == null ? " is generated, not committed" : " is committed, not generated"));
        }
        Optional<String> d = firstDifference(path + "/" + key, c, g);
        if (d.isPresent()) {
          return d;
        }
      }
    }
    if (committed.isArray() && generated.isArray() && committed.size() == generated.size()) {
      Iterator<JsonNode> c = committed.elements();
      Iterator<JsonNode> g = generated.elements();
      for (int i = 0; c.hasNext(); i++) {
        Optional<String> d = firstDifference(path + "/" + i, c.next(), g.next());
        if (d.isPresent()) {
          return d;
        }
      }
    }
    return Optional.of(
        (path.isEmpty() ? "/" : path)
            + " is "
            + abbreviate(committed)
            + ", generated "
            + abbreviate(generated));
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() > 120 ? text.substring(0, 117) + "..." : text;
  }
}
