package io.pontoon.sandbox.apiserver.patch;

import java.util.List;

/**
 * What the {@code patchStrategy} and {@code patchMergeKey} struct tags of a field say, and the
 * patch metadata of the field's value (of its elements, for a list).
 *
 * @param strategies the patch strategies: {@code merge}, {@code replace}, {@code retainKeys}, or a
 *     pair such as {@code merge,retainKeys}; empty for the default (maps merge, lists are replaced)
 * @param mergeKey for a list of objects merged by key, the key; empty otherwise
 * @param schema the metadata of the value, or of the list's elements
 */
public record FieldMeta(List<String> strategies, String mergeKey, PatchSchema schema) {
  /** A field without tags whose value has none either. */
  public static final FieldMeta NONE = new FieldMeta(List.of(), "", PatchSchema.NONE);

  public FieldMeta {
    strategies = List.copyOf(strategies);
  }

  /** The strategy other than {@code retainKeys}, or {@code ""}. */
  public String strategy() {
    return strategies.stream().filter(s -> !s.equals("retainKeys")).findFirst().orElse("");
  }

  public boolean retainKeys() {
    return strategies.contains("retainKeys");
  }

  public boolean merges() {
    return strategy().equals("merge");
  }

  /** A struct-typed field: its value merges with the given metadata. */
  static FieldMeta nested(PatchSchema schema) {
    return new FieldMeta(List.of(), "", schema);
  }

  /** {@code patchStrategy:"merge" patchMergeKey:"key"} on a list of objects. */
  static FieldMeta mergeByKey(String key, PatchSchema elements) {
    return new FieldMeta(List.of("merge"), key, elements);
  }

  static FieldMeta mergeByKey(String key) {
    return mergeByKey(key, PatchSchema.NONE);
  }

  /** {@code patchStrategy:"merge,retainKeys" patchMergeKey:"key"} on a list of objects. */
  static FieldMeta mergeByKeyRetainKeys(String key) {
    return new FieldMeta(List.of("merge", "retainKeys"), key, PatchSchema.NONE);
  }

  /** {@code patchStrategy:"merge"} on a list of strings: the lists are unioned. */
  static FieldMeta mergeSet() {
    return new FieldMeta(List.of("merge"), "", PatchSchema.NONE);
  }

  /** {@code patchStrategy:"replace"}: the value is replaced whole. */
  static FieldMeta replace() {
    return new FieldMeta(List.of("replace"), "", PatchSchema.NONE);
  }

  /** {@code patchStrategy:"retainKeys"} on a struct. */
  static FieldMeta retainKeys(PatchSchema schema) {
    return new FieldMeta(List.of("retainKeys"), "", schema);
  }
}
