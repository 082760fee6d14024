package io.pontoon.api.controller;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import com.fasterxml.jackson.databind.ser.impl.SimpleBeanPropertyFilter;
import com.fasterxml.jackson.databind.ser.impl.SimpleFilterProvider;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer store that keeps, per object, only the fields a controller reads, as compact JSON
 * bytes; each read builds the object anew. fabric8's {@code ReducedStateItemStore} keeps the same
 * fields as nested maps, which at 10,000 pods took about 8 KiB per object, four times the JSON.
 * {@code metadata.managedFields} is always dropped: kube-apiserver writes it on every object and
 * no controller here reads it. Keys are {@link Handlers#key}, as fabric8's default key function.
 *
 * <p>The bytes are written straight from the object through a property filter that never visits
 * what is left out: an informer puts every event into its store, so converting the whole object
 * (a pod's spec is most of it) to a tree first cost more than the event's own parsing.
 */
public final class CompactStore<V extends HasMetadata> implements ItemStore<V> {
  private final ConcurrentHashMap<String, byte[]> store = new ConcurrentHashMap<>();
  private final Class<V> type;
  private final KubernetesSerialization serialization;
  private final List<String[]> paths;
  private final ObjectWriter writer;

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
    this.writer = filteringWriter(new KeptPaths(this.paths));
  }

  /** A writer whose every bean and map goes through {@code filter}. */
  private static ObjectWriter filteringWriter(KeptPaths filter) {
    ObjectMapper mapper = new ObjectMapper();
    mapper.setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
      @Override
      public Object findFilterId(Annotated a) {
        return KeptPaths.ID;
      }
    });
    return mapper.writer(new SimpleFilterProvider().addFilter(KeptPaths.ID, filter));
  }

  /** The bytes kept for {@code value}: the kept paths, without managedFields. */
  byte[] compact(V value) {
    try {
      return writer.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot keep " + Handlers.key(value) + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Writes a property when it lies inside a kept path or on the way to one; never
   * {@code metadata.managedFields}. Array levels add nothing to a path: inside a kept path
   * everything is kept.
   */
  private static final class KeptPaths extends SimpleBeanPropertyFilter {
    static final String ID = "pontoon-kept-paths";
    private final List<String[]> paths;

    KeptPaths(List<String[]> paths) {
      this.paths = paths;
    }

    @Override
    public void serializeAsField(Object pojo, JsonGenerator g, SerializerProvider provider, PropertyWriter w)
        throws Exception {
      if (keeps(g.getOutputContext(), w.getName())) w.serializeAsField(pojo, g, provider);
    }

    private boolean keeps(JsonStreamContext context, String name) {
      List<String> path = new ArrayList<>(4);
      path.add(name);
      // the context is the object being written; its parents' names lead back to the root
      for (JsonStreamContext c = context.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
        if (c.inObject() && c.getCurrentName() != null) path.add(0, c.getCurrentName());
      }
      if (path.size() >= 2 && path.get(0).equals("metadata") && path.get(1).equals("managedFields")) return false;
      for (String[] kept : paths) {
        int n = Math.min(kept.length, path.size());
        boolean same = true;
        for (int i = 0; i < n && same; i++) same = kept[i].equals(path.get(i));
        if (same) return true; // inside the kept path, or on the way to it
      }
      return false;
    }
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
