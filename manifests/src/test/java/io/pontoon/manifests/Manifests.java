package io.pontoon.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Paths of the module's YAML and the instantiation of templates. */
final class Manifests {
  /** The module directory (surefire and failsafe run with it as working directory). */
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final Path INSTALL = ROOT.resolve("install");
  static final Path NODEPORT = ROOT.resolve("overlays/nodeport");
  static final Path TEMPLATES = ROOT.resolve("templates");

  static final String AGENT_USER = "system:serviceaccount:pontoon-system:pontoon-agent";
  static final java.util.List<String> AGENT_GROUPS =
      java.util.List.of("system:serviceaccounts", "system:serviceaccounts:pontoon-system", "system:authenticated");

  /** Sample values for every placeholder of templates/ (as an agent would fill them in). */
  static final Map<String, String> SAMPLE = Map.of(
      "IMAGE", "ghcr.io/pontoon/pontoon:0.1.0",
      "PROVIDER_NAME", "cluster-2",
      "PROVIDER_ID", "5b0f2c8e-8d2a-4a51-9d7e-3f1c2b4a6d10",
      "SHARING_PERCENTAGE", "50",
      "PEER_NAME", "cluster-2",
      "PEER_ID", "5b0f2c8e-8d2a-4a51-9d7e-3f1c2b4a6d10");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");

  private Manifests() {}

  /** The template with every placeholder replaced; fails on one without a value. */
  static String instantiate(String template, Map<String, String> values) {
    String text = read(TEMPLATES.resolve(template));
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      if (v == null) throw new AssertionError(template + ": placeholder ${" + m.group(1) + "} has no value");
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  static java.util.Set<String> placeholders(String template) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(read(TEMPLATES.resolve(template)));
    while (m.find()) names.add(m.group(1));
    return names;
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
