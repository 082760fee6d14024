package io.pontoon.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Schema of a condition as {@code metav1.Condition} declares it (required fields, status enum,
 * reason pattern, lengths). Only the CRD generator reads this class, through
 * {@code @SchemaFrom} on the {@code conditions} fields; the objects themselves are fabric8's
 * {@link io.fabric8.kubernetes.api.model.Condition}, whose own schema says none of that.
 */
public final class ConditionSchema {

  /** The values of {@code metav1.ConditionStatus}. */
  public enum Status {
    True,
    False,
    Unknown
  }

  @JsonPropertyDescription("Type of condition in CamelCase, such as Ready.")
  @Required
  @Size(max = 316)
  @Pattern(
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
          + "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")
  public String type;

  @JsonPropertyDescription("Status of the condition: True, False or Unknown.")
  @Required
  public Status status;

  @JsonPropertyDescription("The .metadata.generation the condition was set for.")
  @Min(0)
  public Long observedGeneration;

  @JsonPropertyDescription("When the status last changed (RFC 3339).")
  @Required
  public String lastTransitionTime;

  @JsonPropertyDescription("Programmatic identifier of the last transition's cause, CamelCase.")
  @Required
  @Size(min = 1, max = 1024)
  @Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")
  public String reason;

  @JsonPropertyDescription("Human readable details of the last transition.")
  @Required
  @Size(max = 32768)
  public String message;

  private ConditionSchema() {}
}
