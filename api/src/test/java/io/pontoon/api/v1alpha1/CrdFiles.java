package io.pontoon.api.v1alpha1;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Locates and parses the generated and the committed CRD YAML. */
final class CrdFiles {

  static final String SUFFIX = ".pontoon.io-v1.yml";
  static final String REGENERATE = "./mvnw -B -pl api process-classes -Dupdate-crds";

  private static final YAMLMapper YAML = new YAMLMapper();

  private CrdFiles() {}

  /** What the crd-generator plugin wrote in the process-classes phase. */
  static Path generatedDir() {
    return Paths.get(System.getProperty("pontoon.crds.generated", "target/generated-crds"));
  }

  /** What is committed in manifests/crds/. */
  static Path committedDir() {
    return Paths.get(System.getProperty("pontoon.crds.dir", "../manifests/crds"));
  }

  /** File name to parsed YAML, for the CRD files of {@code dir}, sorted by name. */
  static Map<String, JsonNode> read(Path dir) {
    Map<String, JsonNode> crds = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return crds;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.endsWith(SUFFIX)) {
          crds.put(name, YAML.readTree(file.toFile()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return crds;
  }

  static JsonNode generated(String plural) {
    JsonNode crd = read(generatedDir()).get(plural + SUFFIX);
    if (crd == null) {
      throw new AssertionError("no generated CRD for " + plural + " in " + generatedDir());
    }
    return crd;
  }
}
