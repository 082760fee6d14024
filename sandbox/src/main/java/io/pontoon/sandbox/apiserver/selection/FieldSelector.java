package io.pontoon.sandbox.apiserver.selection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code fieldSelector}: a conjunction of {@code field=value}, {@code field==value} and
 * {@code field!=value} terms, bound to the {@link SelectableFields} of one resource.
 *
 * <p>Values may escape {@code \,}, {@code \=} and {@code \\} (fields.EscapeValue); field names are
 * taken literally up to the first operator, spaces included, as kube-apiserver does. Parse and
 * unsupported-label errors are 400s with kube-apiserver's wording.
 */
public final class FieldSelector {
  private final List<FieldTerm> terms;
  private final SelectableFields fields;

  private FieldSelector(List<FieldTerm> terms, SelectableFields fields) {
    this.terms = terms;
    this.fields = fields;
  }

  /**
   * Parses a selector for a resource (API group, plural name) and checks its field labels against
   * what that resource supports; labels are turned into their canonical form (e.g. a pod's
   * {@code spec.host} into {@code spec.nodeName}). {@code null} or "" selects everything.
   */
  public static FieldSelector forResource(String group, String resource, String selector) {
    return bind(parse(selector), SelectableFields.forResource(group, resource));
  }

  /** Like {@link #forResource} for a custom resource, with its scope and CRD {@code selectableFields}. */
  public static FieldSelector forCustomResource(boolean clusterScoped, List<String> selectableFieldPaths,
      String selector) {
    return bind(parse(selector), SelectableFields.forCustomResource(clusterScoped, selectableFieldPaths));
  }

  /** Parses without checking field labels (fields.ParseSelector); the result matches by raw JSON paths. */
  public static List<FieldTerm> parse(String selector) {
    if (selector == null || selector.isEmpty()) {
      return List.of();
    }
    List<String> parts = splitTerms(selector);
    Collections.sort(parts);
    List<FieldTerm> terms = new ArrayList<>();
    for (String part : parts) {
      if (part.isEmpty()) {
        continue;
      }
      int[] op = findOperator(part);
      if (op == null) {
        throw ApiException.badRequest("invalid selector: '" + selector + "'; can't understand '" + part + "'");
      }
      String field = part.substring(0, op[0]);
      String value = unescapeValue(part.substring(op[0] + op[1]));
      terms.add(new FieldTerm(field, op[1] == 2 && part.charAt(op[0]) == '!', value));
    }
    return terms;
  }

  private static FieldSelector bind(List<FieldTerm> parsed, SelectableFields fields) {
    List<FieldTerm> canonical = new ArrayList<>(parsed.size());
    for (FieldTerm t : parsed) {
      canonical.add(new FieldTerm(fields.canonicalLabel(t.field()), t.negated(), t.value()));
    }
    return new FieldSelector(List.copyOf(canonical), fields);
  }

  public boolean matches(ObjectNode object) {
    for (FieldTerm t : terms) {
      if (!t.matches(fields.value(object, t.field()))) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return terms.isEmpty();
  }

  public List<FieldTerm> terms() {
    return terms;
  }

  /**
   * The value a field must equal for an object to match, when an {@code =} term pins it
   * (fields.Selector.RequiresExactMatch); field labels are canonical, e.g. "spec.nodeName".
   */
  public Optional<String> exactValue(String field) {
    for (FieldTerm t : terms) {
      if (!t.negated() && t.field().equals(field)) {
        return Optional.of(t.value());
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (FieldTerm t : terms) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(t);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSelector other && other.terms.equals(terms);
  }

  @Override
  public int hashCode() {
    return Objects.hash(terms);
  }

  /** Escapes a value for use in a selector string (fields.EscapeValue). */
  public static String escapeValue(String value) {
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
  }

  /** Splits on commas that are not escaped; escapes stay in the terms. */
  private static List<String> splitTerms(String selector) {
    List<String> terms = new ArrayList<>();
    int start = 0;
    boolean inSlash = false;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (inSlash) {
        inSlash = false;
      } else if (c == '\\') {
        inSlash = true;
      } else if (c == ',') {
        terms.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(selector.substring(start));
    return terms;
  }

  /** Position and length of the first operator; "!=" and "==" win over "=" at the same place. */
  private static int[] findOperator(String term) {
    for (int i = 0; i < term.length(); i++) {
      if (term.startsWith("!=", i) || term.startsWith("==", i)) {
        return new int[] {i, 2};
      }
      if (term.charAt(i) == '=') {
        return new int[] {i, 1};
      }
    }
    return null;
  }

  private static String unescapeValue(String s) {
    if (s.indexOf('\\') < 0 && s.indexOf(',') < 0 && s.indexOf('=') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    boolean inSlash = false;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (inSlash) {
        if (c == '\\' || c == ',' || c == '=') {
          sb.appendCodePoint(c);
        } else {
          throw ApiException.badRequest("invalid field selector: invalid escape sequence: \\" + Character.toString(c));
        }
        inSlash = false;
      } else if (c == '\\') {
        inSlash = true;
      } else if (c == ',' || c == '=') {
        // Go prints the rune with %v, that is as its code point number.
        throw ApiException.badRequest("invalid field selector: unescaped character in value: " + c);
      } else {
        sb.appendCodePoint(c);
      }
    }
    if (inSlash) {
      throw ApiException.badRequest("invalid field selector: invalid escape sequence: \\");
    }
    return sb.toString();
  }
}
