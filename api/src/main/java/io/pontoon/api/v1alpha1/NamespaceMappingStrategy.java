package io.pontoon.api.v1alpha1;

/** How a twin namespace in a provider is named. */
public enum NamespaceMappingStrategy {
  /** {@code <namespace>-<home-cluster-name>}, shortened with a hash past 63 characters. */
  DefaultName,
  /** The same name as the home namespace. */
  EnforceSameName,
  /** The name given in selectedNamespaceName. */
  SelectedName
}
