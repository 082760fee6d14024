package io.pontoon.sandbox.apiserver.schema;

import io.pontoon.sandbox.apiserver.ApiException;
import io.pontoon.sandbox.apiserver.ApiException.Cause;
import java.util.List;
import java.util.stream.Collectors;

/** A CRD schema that kube-apiserver would refuse; {@link #causes()} say where and why. */
public final class NonStructuralSchemaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Cause> causes;

  NonStructuralSchemaException(List<Cause> causes) {
    super(causes.stream().map(c -> c.field() + ": " + c.message()).collect(Collectors.joining(", ")));
    this.causes = List.copyOf(causes);
  }

  public List<Cause> causes() {
    return causes;
  }

  /** The 422 kube-apiserver answers for the CRD: {@code CustomResourceDefinition.apiextensions.k8s.io "x" is invalid: ...}. */
  public ApiException toApiException(String crdName) {
    return ApiException.invalid("apiextensions.k8s.io", "CustomResourceDefinition", crdName, causes);
  }
}
