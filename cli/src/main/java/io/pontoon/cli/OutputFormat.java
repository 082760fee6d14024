package io.pontoon.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.util.List;

/** {@code -o table|json|yaml}, as kubectl: a table for people, JSON or YAML for scripts. */
public enum OutputFormat {
  table,
  json,
  yaml;

  /** Prints {@code value} as JSON or YAML; for {@code table}, prints {@code rows} aligned. */
  public void print(PrintWriter out, Object value, List<String> header, List<List<String>> rows) {
    switch (this) {
      case json -> out.println(json(value));
      case yaml -> out.print(Serialization.asYaml(value));
      case table -> out.print(Table.render(header, rows));
    }
    out.flush();
  }

  private static String json(Object value) {
    try {
      return Serialization.jsonMapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
