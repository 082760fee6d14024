package io.pontoon.sandbox.cluster.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Helpers for fabric8 informers: start and wait for the first list, list a namespace, handlers. */
final class Informers {
  static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

  private Informers() {}

  /** Starts the informers and returns once each has listed, so controllers never act on an empty cache. */
  static void startAndSync(String component, List<? extends SharedIndexInformer<?>> informers) {
    try {
      for (SharedIndexInformer<?> i : informers) {
        i.start().toCompletableFuture().get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(component + ": interrupted while its informers synced", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(component + ": informers did not sync: " + e, e);
    }
  }

  static <T extends HasMetadata> List<T> inNamespace(SharedIndexInformer<T> informer, String namespace) {
    return informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
  }

  static <T extends HasMetadata> T get(SharedIndexInformer<T> informer, String key) {
    return informer.getStore().getByKey(key);
  }

  static void closeAll(List<? extends SharedIndexInformer<?>> informers) {
    for (SharedIndexInformer<?> i : informers) {
      try {
        i.close();
      } catch (RuntimeException e) {
        // closing anyway
      }
    }
  }

  /** A handler from three lambdas; deletes of objects whose final state is unknown still carry the last one seen. */
  static <T> ResourceEventHandler<T> handler(Consumer<T> onAdd, BiConsumer<T, T> onUpdate, Consumer<T> onDelete) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onAdd.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        onUpdate.accept(oldObj, newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        if (obj != null) onDelete.accept(obj);
      }
    };
  }
}
