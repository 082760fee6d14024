package io.pontoon.api.v1alpha1;

import java.util.List;

import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;

/** A status with {@code metav1.Condition}s, so controllers can set conditions generically. */
public interface ConditionedStatus {

  /** The mutable list of conditions, never null. */
  List<Condition> getConditions();
}
