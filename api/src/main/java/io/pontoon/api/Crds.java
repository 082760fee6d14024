package io.pontoon.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Pontoon's CRDs (the YAML of {@code manifests/crds/}, shipped in this jar) and their install. */
public final class Crds {
  /** One file per kind, as the CRD generator names them. */
  public static final List<String> FILES = List.of(
      "foreignclusters.pontoon.io-v1.yml",
      "namespaceoffloadings.pontoon.io-v1.yml",
      "networkconfigs.pontoon.io-v1.yml",
      "resourceslices.pontoon.io-v1.yml",
      "shadowpods.pontoon.io-v1.yml",
      "tunnels.pontoon.io-v1.yml",
      "twinnamespaces.pontoon.io-v1.yml");

  private Crds() {}

  /** The CRD objects. */
  public static List<CustomResourceDefinition> all() {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (String file : FILES) {
      try (InputStream in = Crds.class.getResourceAsStream("crds/" + file)) {
        if (in == null) throw new IllegalStateException("CRD " + file + " is missing from the pontoon-api jar");
        crds.add(Serialization.unmarshal(in, CustomResourceDefinition.class));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return crds;
  }

  /**
   * Creates or updates every CRD and waits until each is Established. Safe to repeat; needs
   * the right to write CustomResourceDefinitions (cluster admins, the agent's install).
   */
  public static void install(KubernetesClient client, Duration timeout) {
    for (CustomResourceDefinition crd : all()) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(c -> c.update());
    }
    for (CustomResourceDefinition crd : all()) {
      client.apiextensions().v1().customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(Crds::established, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
