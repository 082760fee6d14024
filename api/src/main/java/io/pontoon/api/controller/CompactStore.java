package io.pontoon.api.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer store that keeps, per object, only the fields a controller reads, as compact JSON
 * bytes; each read builds the object anew. fabric8's {@code ReducedStateItemStore} keeps the same
 * fields as nested maps, which at 10,000 pods took about 8 KiB per object, four times the JSON.
 * {@code metadata.managedFields} is always dropped: kube-apiserver writes it on every object and
 * no controller here reads it. Keys are {@link Handlers#key}, as fabric8's default key function.
 */
public final class CompactStore<V extends HasMetadata> implements ItemStore<V> {
  private final ConcurrentHashMap<String, byte[]> store = new ConcurrentHashMap<>();
  private final Class<V> type;
  private final KubernetesSerialization serialization;
  private final List<String[]> paths;

  /**
   * @param paths dotted paths kept, e.g. {@code metadata}, {@code spec.nodeName}, {@code status};
   *     {@code metadata.name} and {@code metadata.namespace} are kept whatever is given
   */
  public CompactStore(Class<V> type, KubernetesSerialization serialization, String... paths) {
    if (paths.length == 0) throw new IllegalArgumentException("name at least one path to keep");
    this.type = type;
    this.serialization = serialization;
    this.paths = Stream.concat(Stream.of("metadata.name", "metadata.namespace"), Stream.of(paths))
        .map(p -> p.split("\\.")).toList();
  }

  /** The bytes kept for {@code value}: the kept paths, without managedFields. */
  byte[] compact(V value) {
    ObjectNode full = serialization.convertValue(value, ObjectNode.class);
    ObjectNode kept = JsonNodeFactory.instance.objectNode();
    for (String[] path : paths) copy(full, kept, path);
    if (kept.get("metadata") instanceof ObjectNode meta) meta.remove("managedFields");
    return kept.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void copy(ObjectNode from, ObjectNode to, String[] path) {
    JsonNode source = from;
    ObjectNode target = to;
    for (int i = 0; i < path.length - 1; i++) {
      source = source.get(path[i]);
      if (!(source instanceof ObjectNode)) return;
      JsonNode next = target.get(path[i]);
      target = next instanceof ObjectNode o ? o : target.putObject(path[i]);
    }
    JsonNode value = source.get(path[path.length - 1]);
    if (value != null && !value.isNull()) target.set(path[path.length - 1], value);
  }

  private V restore(byte[] bytes) {
    return bytes == null ? null : serialization.unmarshal(new ByteArrayInputStream(bytes), type);
  }

  @Override
  public String getKey(V value) {
    return Handlers.key(value);
  }

  @Override
  public V put(String key, V value) {
    return restore(store.put(key, compact(value)));
  }

  @Override
  public V remove(String key) {
    return restore(store.remove(key));
  }

  @Override
  public Stream<String> keySet() {
    return store.keySet().stream();
  }

  @Override
  public Stream<V> values() {
    return store.values().stream().map(this::restore);
  }

  @Override
  public int size() {
    return store.size();
  }

  @Override
  public V get(String key) {
    return restore(store.get(key));
  }

  /** Fields are left out, so the informer may not take a stored object for the whole one. */
  @Override
  public boolean isFullState() {
    return false;
  }
}
