package io.pontoon.sandbox.apiserver.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.pontoon.sandbox.apiserver.ApiException.Cause;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a value against a schema with the rules and wording of the OpenAPI validator that
 * kube-apiserver runs on custom resources (k8s.io/kube-openapi pkg/validation), with its results
 * turned into field errors as the apiextensions-apiserver does.
 *
 * <p>Paths are built as that validator builds them ("spec.items[0].name") and are prefixed with
 * {@code fieldPrefix} when given (status updates validate under "status"). Errors that are not
 * tied to a field (anyOf/oneOf/allOf/not, number ranges) are reported on the prefix, or on
 * {@code <nil>} without one, exactly as kube-apiserver prints them.
 */
final class ValueValidator {
  private static final String IN = "body";
  private static final BigInteger INT32_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
  private static final BigInteger INT32_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
  private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private final String fieldPrefix;
  private final Set<Cause> causes = new LinkedHashSet<>();

  private ValueValidator(String fieldPrefix) {
    this.fieldPrefix = fieldPrefix;
  }

  static List<Cause> validate(SchemaNode schema, JsonNode value, String fieldPrefix) {
    ValueValidator v = new ValueValidator(fieldPrefix);
    v.check(schema, value, "");
    return List.copyOf(v.causes);
  }

  /** Runs a nested schema (allOf, ...) on its own, to know whether it passed. */
  private List<Cause> trial(SchemaNode schema, JsonNode value, String path) {
    ValueValidator v = new ValueValidator(fieldPrefix);
    v.check(schema, value, path);
    return List.copyOf(v.causes);
  }

  private void check(SchemaNode s, JsonNode value, String path) {
    if (value == null || value.isNull()) {
      List<String> types = s.types();
      if (!types.isEmpty() && !s.nullable) {
        causes.add(typeError(path, String.join(",", types), "null"));
      }
      checkEnum(s, value == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : value, path);
      return;
    }
    checkType(s, value, path);
    checkCombinators(s, value, path);
    if (value.isTextual()) {
      checkString(s, value.asText(), path);
    }
    if (value.isArray()) {
      checkArray(s, value, path);
    }
    if (value.isNumber()) {
      checkNumber(s, value, path);
    }
    checkEnum(s, value, path);
    if (value.isObject()) {
      checkObject(s, value, path);
    }
  }

  private void checkType(SchemaNode s, JsonNode value, String path) {
    List<String> types = s.types();
    String actual = jsonType(value);
    String actualFormat = value.isIntegralNumber() ? "int64" : value.isNumber() ? "float64" : "";
    boolean isFloatInt = actual.equals("number") && isIntegral(value) && types.contains("integer");
    boolean isIntFloat = actual.equals("integer") && types.contains("number");
    boolean stringOrArray = value.isTextual() || value.isArray();
    if (!stringOrArray && !s.format.isEmpty() && !(types.contains(actual) || s.format.equals(actualFormat)
        || isFloatInt || isIntFloat || s.format.equals("int64") && actualFormat.equals("int32")
        || s.format.equals("float64") && actualFormat.equals("float32"))) {
      causes.add(typeError(path, s.format, actualFormat));
      return;
    }
    if (!(types.contains("number") || types.contains("integer")) && !s.format.isEmpty() && stringOrArray) {
      return;
    }
    if (!types.isEmpty() && !(types.contains(actual) || isFloatInt || isIntFloat)) {
      causes.add(typeError(path, String.join(",", types), actual));
    }
  }

  private void checkCombinators(SchemaNode s, JsonNode value, String path) {
    if (!s.anyOf.isEmpty()) {
      List<Cause> best = null;
      boolean passed = false;
      for (SchemaNode alt : s.anyOf) {
        List<Cause> r = trial(alt, value, path);
        if (r.isEmpty()) {
          passed = true;
          best = null;
          break;
        }
        if (best == null || r.size() < best.size()) {
          best = r;
        }
      }
      if (!passed) {
        causes.add(unattached(FieldErrors.quote(path) + " must validate at least one schema (anyOf)"));
      }
      if (best != null) {
        causes.addAll(best);
      }
    }
    if (!s.oneOf.isEmpty()) {
      int valid = 0;
      List<Cause> best = null;
      for (SchemaNode alt : s.oneOf) {
        List<Cause> r = trial(alt, value, path);
        if (r.isEmpty()) {
          valid++;
          best = null;
        } else if (valid == 0 && (best == null || r.size() < best.size())) {
          best = r;
        }
      }
      if (valid != 1) {
        String more = valid == 0 ? "Found none valid" : "Found " + valid + " valid alternatives";
        causes.add(unattached(FieldErrors.quote(path) + " must validate one and only one schema (oneOf). " + more));
        if (best != null) {
          causes.addAll(best);
        }
      }
    }
    if (!s.allOf.isEmpty()) {
      int valid = 0;
      for (SchemaNode part : s.allOf) {
        List<Cause> r = trial(part, value, path);
        if (r.isEmpty()) {
          valid++;
        }
        causes.addAll(r);
      }
      if (valid != s.allOf.size()) {
        causes.add(unattached(FieldErrors.quote(path) + " must validate all the schemas (allOf)"
            + (valid == 0 ? ". None validated" : "")));
      }
    }
    if (s.not != null && trial(s.not, value, path).isEmpty()) {
      causes.add(unattached(FieldErrors.quote(path) + " must not validate the schema (not)"));
    }
  }

  private void checkString(SchemaNode s, String text, String path) {
    long length = text.codePointCount(0, text.length());
    if (s.maxLength != null && length > s.maxLength) {
      causes.add(FieldErrors.tooLong(field(path), s.maxLength));
      return;
    }
    if (s.minLength != null && length < s.minLength) {
      causes.add(FieldErrors.invalid(field(path), FieldErrors.quote(text),
          path + " in " + IN + " should be at least " + s.minLength + " chars long"));
      return;
    }
    if (s.compiledPattern != null && !s.compiledPattern.matcher(text).find()) {
      causes.add(FieldErrors.invalid(field(path), FieldErrors.quote(text),
          path + " in " + IN + " should match '" + s.pattern + "'"));
      return;
    }
    String formatError = Formats.check(s.format, text);
    if (formatError != null) {
      causes.add(typeError(path, s.format, text));
    }
  }

  private void checkArray(SchemaNode s, JsonNode arr, String path) {
    if (s.items != null) {
      for (int i = 0; i < arr.size(); i++) {
        check(s.items, arr.get(i), path + "[" + i + "]");
      }
    }
    int size = arr.size();
    if (s.minItems != null && size < s.minItems) {
      causes.add(FieldErrors.invalid(field(path), Integer.toString(size),
          path + " in " + IN + " should have at least " + s.minItems + " items"));
    }
    if (s.maxItems != null && size > s.maxItems) {
      causes.add(FieldErrors.tooMany(field(path), size, s.maxItems));
    }
    if (s.uniqueItems) {
      Set<String> seen = new HashSet<>();
      for (JsonNode x : arr) {
        if (!seen.add(JsonValues.canonical(x))) {
          causes.add(FieldErrors.invalid(field(path), "\"\"", path + " in " + IN + " shouldn't contain duplicates"));
          break;
        }
      }
    }
  }

  private void checkNumber(SchemaNode s, JsonNode n, String path) {
    String type = s.types().isEmpty() ? "" : s.types().get(0);
    if (type.equals("integer") || type.isEmpty() && !s.format.isEmpty()) {
      BigDecimal d = n.decimalValue();
      boolean fits;
      try {
        BigInteger i = d.toBigIntegerExact();
        fits = s.format.equals("int32") ? i.compareTo(INT32_MIN) >= 0 && i.compareTo(INT32_MAX) <= 0
            : i.compareTo(INT64_MIN) >= 0 && i.compareTo(INT64_MAX) <= 0;
      } catch (ArithmeticException e) {
        fits = false;
      }
      if (!fits && type.equals("integer")) {
        String fmt = s.format.isEmpty() ? "integer (default format)" : "integer with format " + s.format;
        causes.add(unattached("Checked value must be of type " + fmt + " in " + path));
      }
    }
    BigDecimal v = n.decimalValue();
    boolean integral = n.isIntegralNumber();
    if (s.multipleOf != null && s.multipleOf.signum() > 0
        && v.remainder(s.multipleOf).signum() != 0) {
      causes.add(FieldErrors.invalid(field(path), FieldErrors.number(n),
          path + " in " + IN + " should be a multiple of " + FieldErrors.goFloat(s.multipleOf.doubleValue())));
    }
    if (s.maximum != null) {
      BigDecimal bound = integral ? new BigDecimal(s.maximum.toBigInteger()) : s.maximum;
      int c = v.compareTo(bound);
      if (s.exclusiveMaximum ? c >= 0 : c > 0) {
        causes.add(FieldErrors.invalid(field(path), FieldErrors.number(n), path + " in " + IN + " should be less than "
            + (s.exclusiveMaximum ? "" : "or equal to ") + bound(integral, s.maximum)));
      }
    }
    if (s.minimum != null) {
      BigDecimal bound = integral ? new BigDecimal(s.minimum.toBigInteger()) : s.minimum;
      int c = v.compareTo(bound);
      if (s.exclusiveMinimum ? c <= 0 : c < 0) {
        causes.add(FieldErrors.invalid(field(path), FieldErrors.number(n), path + " in " + IN + " should be greater than "
            + (s.exclusiveMinimum ? "" : "or equal to ") + bound(integral, s.minimum)));
      }
    }
  }

  /** Integer values are compared with the bound truncated to an integer, as the validator does. */
  private static String bound(boolean integral, BigDecimal b) {
    return integral ? b.toBigInteger().toString() : FieldErrors.goFloat(b.doubleValue());
  }

  private void checkEnum(SchemaNode s, JsonNode value, String path) {
    if (s.enumValues == null || s.enumValues.isEmpty()) {
      return;
    }
    for (JsonNode allowed : s.enumValues) {
      if (JsonValues.equal(allowed, value)) {
        return;
      }
    }
    List<String> supported = new ArrayList<>();
    for (JsonNode allowed : s.enumValues) {
      supported.add(allowed.isTextual() ? allowed.asText() : io.pontoon.sandbox.apiserver.Json.text(allowed));
    }
    causes.add(FieldErrors.notSupported(field(path), value, supported));
  }

  private void checkObject(SchemaNode s, JsonNode obj, String path) {
    int size = obj.size();
    if (s.minProperties != null && size < s.minProperties) {
      causes.add(FieldErrors.invalid(field(path), Integer.toString(size),
          path + " in " + IN + " should have at least " + s.minProperties + " properties"));
    }
    if (s.maxProperties != null && size > s.maxProperties) {
      causes.add(FieldErrors.tooMany(field(path), size, s.maxProperties));
    }
    if (s.additionalPropertiesForbidden) {
      obj.fieldNames().forEachRemaining(k -> {
        if (!s.properties.containsKey(k)) {
          causes.add(FieldErrors.invalid(field(path), FieldErrors.quote(k),
              path + "." + k + " in " + IN + " is a forbidden property"));
        }
      });
    } else if (s.additionalProperties != null) {
      obj.fields().forEachRemaining(e -> {
        if (!s.properties.containsKey(e.getKey())) {
          check(s.additionalProperties, e.getValue(), path + "." + e.getKey());
        }
      });
    }
    for (Map.Entry<String, SchemaNode> p : s.properties.entrySet()) {
      if (obj.has(p.getKey())) {
        check(p.getValue(), obj.get(p.getKey()), path.isEmpty() ? p.getKey() : path + "." + p.getKey());
      }
    }
    for (String k : s.required) {
      if (!obj.has(k)) {
        causes.add(FieldErrors.required(field(path + "." + k), ""));
      }
    }
  }

  private Cause typeError(String path, String expected, String actual) {
    return FieldErrors.typeInvalid(field(path), FieldErrors.quote(actual),
        path + " in " + IN + " must be of type " + expected + ": " + FieldErrors.quote(actual));
  }

  /** An error without a field: kube-apiserver puts it on the validation's root path. */
  private Cause unattached(String message) {
    return FieldErrors.invalid(fieldPrefix == null ? "<nil>" : fieldPrefix, "\"\"", message);
  }

  /** The field path kube-apiserver reports for a validator path. */
  private String field(String path) {
    String trimmed = path.startsWith(".") ? path.substring(1) : path;
    if (trimmed.isEmpty()) {
      return fieldPrefix == null ? "<nil>" : fieldPrefix;
    }
    return fieldPrefix == null ? trimmed : fieldPrefix + "." + trimmed;
  }

  static String jsonType(JsonNode v) {
    if (v.isObject()) {
      return "object";
    }
    if (v.isArray()) {
      return "array";
    }
    if (v.isTextual()) {
      return "string";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    if (v.isIntegralNumber()) {
      return "integer";
    }
    if (v.isNumber()) {
      return "number";
    }
    return "null";
  }

  private static boolean isIntegral(JsonNode n) {
    return n.isNumber() && n.decimalValue().stripTrailingZeros().scale() <= 0;
  }
}
