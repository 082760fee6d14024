package io.pontoon.sandbox.apiserver.selection;

/** One term of a field selector: {@code field=value} (also written {@code ==}) or {@code field!=value}. */
public record FieldTerm(String field, boolean negated, String value) {

  /** Whether a field with {@code actual} as value (absent fields are "") passes this term. */
  public boolean matches(String actual) {
    return negated != value.equals(actual == null ? "" : actual);
  }

  /** The form fields.Selector.String() prints, with the value escaped. */
  @Override
  public String toString() {
    return field + (negated ? "!=" : "=") + FieldSelector.escapeValue(value);
  }
}
