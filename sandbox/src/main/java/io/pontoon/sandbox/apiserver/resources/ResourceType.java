package io.pontoon.sandbox.apiserver.resources;

import java.util.List;
import java.util.Set;

/**
 * One served resource (the {@code APIResource} of discovery): where it lives in the URL space and
 * how the server treats it.
 *
 * @param subresources served subresources such as {@code status}, {@code log}, {@code binding}
 * @param versions every served version; the first is the preferred (and storage) one
 */
public record ResourceType(
    String group,
    List<String> versions,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    Set<String> subresources,
    Set<String> verbs,
    Storage storage) {

  /** How objects of the type are kept. */
  public enum Storage {
    /** Persisted, listed and watched. */
    STORED,
    /** Create-only reviews (TokenReview, SubjectAccessReview…): answered, never stored. */
    VIRTUAL
  }

  public static final Set<String> ALL_VERBS =
      Set.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  public static final Set<String> CREATE_ONLY = Set.of("create");

  public ResourceType {
    versions = List.copyOf(versions);
    shortNames = List.copyOf(shortNames);
    categories = List.copyOf(categories);
    subresources = Set.copyOf(subresources);
    verbs = Set.copyOf(verbs);
  }

  /** Key used for storage and RBAC: {@code plural} for the core group, else {@code plural.group}. */
  public String key() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  public String preferredVersion() {
    return versions.get(0);
  }

  public String apiVersion(String version) {
    return group.isEmpty() ? version : group + "/" + version;
  }

  public String preferredApiVersion() {
    return apiVersion(preferredVersion());
  }

  public boolean hasStatus() {
    return subresources.contains("status");
  }
}
