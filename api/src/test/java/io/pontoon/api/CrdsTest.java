package io.pontoon.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The jar carries every committed CRD, and the list of files is complete. */
class CrdsTest {
  @Test
  void everyCommittedCrdIsShippedAndParses() throws IOException {
    Path dir = Path.of(System.getProperty("pontoon.crds.dir", "../manifests/crds"));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(Crds.FILES).containsExactlyInAnyOrderElementsOf(
          files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).toList());
    }
    assertThat(Crds.all()).extracting(c -> c.getMetadata().getName())
        .contains("shadowpods.pontoon.io", "twinnamespaces.pontoon.io", "foreignclusters.pontoon.io");
    assertThat(Crds.all()).extracting(CustomResourceDefinition::getSpec).allMatch(s -> s.getGroup().equals("pontoon.io"));
  }
}
