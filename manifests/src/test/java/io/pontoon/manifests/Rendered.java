package io.pontoon.manifests;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Objects of a multi-document YAML stream (as kubectl kustomize prints them). */
record Rendered(String yaml, List<HasMetadata> objects) {
  static Rendered kustomize(Path dir, Path work) {
    String yaml = Kubectl.of(null, work).run(null, "kustomize", dir.toString()).ok();
    return parse(yaml);
  }

  static Rendered parse(String yaml) {
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) continue;
      out.add(Serialization.unmarshal(doc, HasMetadata.class));
    }
    return new Rendered(yaml, List.copyOf(out));
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> type, String name) {
    Optional<T> o = all(type).stream().filter(x -> name.equals(x.getMetadata().getName())).findFirst();
    return o.orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " rendered"));
  }
}
