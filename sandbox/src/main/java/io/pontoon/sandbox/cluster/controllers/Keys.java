package io.pontoon.sandbox.cluster.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** {@code namespace/name} keys, as client-go's MetaNamespaceKeyFunc makes them. */
final class Keys {
  private Keys() {}

  static String of(HasMetadata o) {
    return of(o.getMetadata().getNamespace(), o.getMetadata().getName());
  }

  static String of(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  static String namespace(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }

  static String name(String key) {
    return key.substring(key.indexOf('/') + 1);
  }
}
