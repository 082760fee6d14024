package io.pontoon.sandbox.apiserver.resources;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every resource the server serves: the built-ins and the custom resources of established CRDs.
 * Lookups happen on every request; registration only when CRDs change.
 */
public final class ResourceRegistry {
  /** key: group + "/" + version + "/" + plural. */
  private final Map<String, ResourceType> byPath = new ConcurrentHashMap<>();
  /** key: {@link ResourceType#key()}. */
  private final Map<String, ResourceType> byKey = new ConcurrentHashMap<>();

  public ResourceRegistry() {
    BuiltinResources.all().forEach(this::register);
  }

  public synchronized void register(ResourceType type) {
    ResourceType old = byKey.put(type.key(), type);
    if (old != null) {
      old.versions().forEach(v -> byPath.remove(old.group() + "/" + v + "/" + old.plural()));
    }
    type.versions().forEach(v -> byPath.put(type.group() + "/" + v + "/" + type.plural(), type));
  }

  public synchronized void unregister(String key) {
    ResourceType old = byKey.remove(key);
    if (old != null) {
      old.versions().forEach(v -> byPath.remove(old.group() + "/" + v + "/" + old.plural()));
    }
  }

  public Optional<ResourceType> find(String group, String version, String plural) {
    return Optional.ofNullable(byPath.get(group + "/" + version + "/" + plural));
  }

  public Optional<ResourceType> byKey(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  public Optional<ResourceType> byKind(String group, String kind) {
    return byKey.values().stream().filter(t -> t.group().equals(group) && t.kind().equals(kind)).findFirst();
  }

  public Collection<ResourceType> all() {
    return List.copyOf(byKey.values());
  }

  /** group → versions served, core group first, then groups in registration-stable order. */
  public Map<String, List<String>> groups() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    all().stream()
        .sorted(java.util.Comparator.comparing(ResourceType::group))
        .forEach(t -> {
          List<String> vs = groups.computeIfAbsent(t.group(), g -> new ArrayList<>());
          for (String v : t.versions()) {
            if (!vs.contains(v)) vs.add(v);
          }
        });
    return groups;
  }

  public List<ResourceType> inGroupVersion(String group, String version) {
    return all().stream()
        .filter(t -> t.group().equals(group) && t.versions().contains(version))
        .sorted(java.util.Comparator.comparing(ResourceType::plural))
        .toList();
  }
}
