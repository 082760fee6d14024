package io.pontoon.sandbox.cluster.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Controller owner references: the one owner with {@code controller: true}. */
final class ControllerRefs {
  private ControllerRefs() {}

  static Optional<OwnerReference> of(HasMetadata o) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    if (refs == null) return Optional.empty();
    return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  static boolean isControlledBy(HasMetadata o, HasMetadata owner) {
    return of(o).map(r -> r.getUid().equals(owner.getMetadata().getUid())).orElse(false);
  }

  /** A reference that makes {@code owner} the controller and blocks its foreground deletion. */
  static OwnerReference controllerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** The owner references of {@code o} with {@code ref} added (adoption). */
  static List<OwnerReference> with(HasMetadata o, OwnerReference ref) {
    List<OwnerReference> refs = new ArrayList<>();
    if (o.getMetadata().getOwnerReferences() != null) refs.addAll(o.getMetadata().getOwnerReferences());
    refs.add(ref);
    return refs;
  }

  /** The owner references of {@code o} without those to {@code ownerUid} (release). */
  static List<OwnerReference> without(HasMetadata o, String ownerUid) {
    List<OwnerReference> refs = new ArrayList<>();
    if (o.getMetadata().getOwnerReferences() != null) {
      o.getMetadata().getOwnerReferences().stream().filter(r -> !r.getUid().equals(ownerUid)).forEach(refs::add);
    }
    return refs;
  }
}
