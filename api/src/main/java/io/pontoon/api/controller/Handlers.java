package io.pontoon.api.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/** Informer handlers that only queue keys: reconcilers read the caches themselves. */
public final class Handlers {
  private Handlers() {}

  public static <T extends HasMetadata> ResourceEventHandler<T> onAny(Consumer<T> action) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        action.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        action.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        action.accept(obj);
      }
    };
  }

  /** {@code namespace/name}, or {@code name} for cluster-scoped objects, as informer stores key. */
  public static String key(HasMetadata obj) {
    String ns = obj.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? obj.getMetadata().getName() : ns + "/" + obj.getMetadata().getName();
  }

  public static String namespaceOf(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? null : key.substring(0, slash);
  }

  public static String nameOf(String key) {
    return key.substring(key.indexOf('/') + 1);
  }
}
