package io.pontoon.sandbox.apiserver.selection;

import io.pontoon.sandbox.apiserver.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One term of a label selector: a key, an operator and the values it relates them to. Build it with
 * {@link #create}, which checks it the way labels.NewRequirement does.
 */
public record LabelRequirement(String key, LabelOperator operator, List<String> values) {

  public LabelRequirement {
    values = List.copyOf(values);
  }

  /** A checked requirement; an invalid one is a 400 with kube's message. */
  public static LabelRequirement create(String key, LabelOperator operator, List<String> values) {
    List<String> problems = problems(key, operator, values);
    if (!problems.isEmpty()) {
      throw ApiException.badRequest(aggregate(problems));
    }
    return new LabelRequirement(key, operator, values);
  }

  /** What labels.NewRequirement finds wrong, each rendered as a field error ("path: Invalid value: ..."). */
  static List<String> problems(String key, LabelOperator operator, List<String> values) {
    List<String> errs = new ArrayList<>();
    List<String> keyErrors = LabelRules.keyErrors(key);
    if (!keyErrors.isEmpty()) {
      errs.add(invalid("key", LabelRules.quote(key), String.join("; ", keyErrors)));
    }
    switch (operator) {
      case IN, NOT_IN -> {
        if (values.isEmpty()) {
          errs.add(invalid("values", json(values), "for 'in', 'notin' operators, values set can't be empty"));
        }
      }
      case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
        if (values.size() != 1) {
          errs.add(invalid("values", json(values), "exact-match compatibility requires one single value"));
        }
      }
      case EXISTS, DOES_NOT_EXIST -> {
        if (!values.isEmpty()) {
          errs.add(invalid("values", json(values), "values set must be empty for exists and does not exist"));
        }
      }
      case GREATER_THAN, LESS_THAN -> {
        if (values.size() != 1) {
          errs.add(invalid("values", json(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
        }
        for (int i = 0; i < values.size(); i++) {
          if (parseLong(values.get(i)) == null) {
            errs.add(invalid("values[" + i + "]", LabelRules.quote(values.get(i)),
                "for 'Gt', 'Lt' operators, the value must be an integer"));
          }
        }
      }
      default -> throw new IllegalStateException(operator.toString());
    }
    for (int i = 0; i < values.size(); i++) {
      List<String> valueErrors = LabelRules.valueErrors(values.get(i));
      if (!valueErrors.isEmpty()) {
        errs.add(invalid("values[" + i + "][" + key + "]", LabelRules.quote(values.get(i)),
            String.join("; ", valueErrors)));
      }
    }
    return errs;
  }

  static String invalid(String field, String renderedValue, String detail) {
    return field + ": Invalid value: " + renderedValue + ": " + detail;
  }

  /** Several errors read "[a, b]" with duplicates dropped, one reads as itself (utilerrors.Aggregate). */
  static String aggregate(List<String> errs) {
    Set<String> unique = new LinkedHashSet<>(errs);
    if (unique.size() == 1) {
      return unique.iterator().next();
    }
    return "[" + String.join(", ", unique) + "]";
  }

  private static String json(List<String> values) {
    if (values.isEmpty()) {
      return "null"; // the requirement builders pass a nil slice when there are no values
    }
    return values.stream().map(LabelRules::quote).collect(Collectors.joining(",", "[", "]"));
  }

  private static Long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public boolean matches(Map<String, String> labels) {
    boolean has = labels.containsKey(key);
    return switch (operator) {
      case IN, EQUALS, DOUBLE_EQUALS -> has && values.contains(labels.get(key));
      case NOT_IN, NOT_EQUALS -> !has || !values.contains(labels.get(key));
      case EXISTS -> has;
      case DOES_NOT_EXIST -> !has;
      case GREATER_THAN, LESS_THAN -> {
        if (!has || values.size() != 1) {
          yield false;
        }
        Long actual = parseLong(labels.get(key));
        Long bound = parseLong(values.get(0));
        if (actual == null || bound == null) {
          yield false;
        }
        yield operator == LabelOperator.GREATER_THAN ? actual > bound : actual < bound;
      }
    };
  }

  /** The string form used by labels.Requirement.String(). */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (operator == LabelOperator.DOES_NOT_EXIST) {
      sb.append('!');
    }
    sb.append(key);
    switch (operator) {
      case EQUALS -> sb.append('=');
      case DOUBLE_EQUALS -> sb.append("==");
      case NOT_EQUALS -> sb.append("!=");
      case IN -> sb.append(" in ");
      case NOT_IN -> sb.append(" notin ");
      case GREATER_THAN -> sb.append('>');
      case LESS_THAN -> sb.append('<');
      case EXISTS, DOES_NOT_EXIST -> {
        return sb.toString();
      }
      default -> throw new IllegalStateException(operator.toString());
    }
    boolean set = operator == LabelOperator.IN || operator == LabelOperator.NOT_IN;
    if (set) {
      sb.append('(');
    }
    sb.append(values.size() == 1 ? values.get(0) : values.stream().sorted().collect(Collectors.joining(",")));
    if (set) {
      sb.append(')');
    }
    return sb.toString();
  }
}
