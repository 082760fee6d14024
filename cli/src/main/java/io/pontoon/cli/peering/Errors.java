package io.pontoon.cli.peering;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.cli.UserError;

/** Kubernetes client failures as one actionable line. */
final class Errors {
  private Errors() {}

  static UserError kube(KubernetesClientException e, String action) {
    if (e.getCode() == 403) {
      return new UserError("RBAC denied: your credentials may not " + action + " (" + e.getStatus().getMessage()
          + "); use a kubeconfig with cluster-admin rights");
    }
    if (e.getCode() == 401) return new UserError("the API server rejected your credentials; check --kubeconfig");
    if (e.getCode() == 0) {
      Throwable t = e;
      while (t.getCause() != null) t = t.getCause();
      return new UserError("cannot reach the API server to " + action + ": " + t.getMessage() + "; check --kubeconfig");
    }
    return new UserError("cannot " + action + ": " + e.getMessage());
  }
}
