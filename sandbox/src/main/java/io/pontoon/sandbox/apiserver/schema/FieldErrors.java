package io.pontoon.sandbox.apiserver.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.pontoon.sandbox.apiserver.ApiException.Cause;
import io.pontoon.sandbox.apiserver.Json;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds {@link Cause}s the way k8s.io/apimachinery field errors read: the reason is the error type
 * (FieldValueInvalid, ...), the message is the error body ("Invalid value: 3: detail") and values
 * are printed as Go prints them.
 */
final class FieldErrors {
  private FieldErrors() {}

  static Cause required(String field, String detail) {
    return new Cause("FieldValueRequired", withDetail("Required value", detail), field);
  }

  static Cause forbidden(String field, String detail) {
    return new Cause("FieldValueForbidden", withDetail("Forbidden", detail), field);
  }

  static Cause invalid(String field, JsonNode value, String detail) {
    return new Cause("FieldValueInvalid", withDetail("Invalid value: " + render(value), detail), field);
  }

  static Cause invalid(String field, String renderedValue, String detail) {
    return new Cause("FieldValueInvalid", withDetail("Invalid value: " + renderedValue, detail), field);
  }

  static Cause typeInvalid(String field, String renderedValue, String detail) {
    return new Cause("FieldValueTypeInvalid", withDetail("Invalid value: " + renderedValue, detail), field);
  }

  static Cause notSupported(String field, JsonNode value, List<String> supported) {
    String detail = supported.isEmpty() ? ""
        : "supported values: " + supported.stream().map(FieldErrors::quote).collect(Collectors.joining(", "));
    return new Cause("FieldValueNotSupported", withDetail("Unsupported value: " + render(value), detail), field);
  }

  static Cause tooLong(String field, long max) {
    String detail = max >= 0 ? "may not be more than " + max + (max == 1 ? " byte" : " bytes") : "value is too long";
    return new Cause("FieldValueTooLong", "Too long: " + detail, field);
  }

  static Cause tooMany(String field, long actual, long max) {
    String detail = max >= 0 ? "must have at most " + max + (max == 1 ? " item" : " items") : "has too many items";
    String body = actual >= 0 ? "Too many: " + actual : "Too many";
    return new Cause("FieldValueTooMany", body + ": " + detail, field);
  }

  static Cause duplicate(String field, JsonNode value) {
    return new Cause("FieldValueDuplicate", "Duplicate value: " + render(value), field);
  }

  private static String withDetail(String body, String detail) {
    return detail == null || detail.isEmpty() ? body : body + ": " + detail;
  }

  /** A JSON value as field.Error prints it: strings quoted, numbers and booleans plain, the rest as JSON. */
  static String render(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "\"\"";
    }
    if (value.isTextual()) {
      return quote(value.asText());
    }
    if (value.isNumber()) {
      return number(value);
    }
    if (value.isBoolean()) {
      return value.asText();
    }
    return Json.text(value);
  }

  /** Go's %v of an int64 (integral JSON numbers) or float64 (all others). */
  static String number(JsonNode n) {
    if (n.isIntegralNumber()) {
      return n.bigIntegerValue().toString();
    }
    return goFloat(n.doubleValue());
  }

  static String goFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return "0";
    }
    BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    int exponent = exact.precision() - exact.scale() - 1;
    if (exponent < -4 || exponent >= 21) {
      String digits = exact.unscaledValue().abs().toString();
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      String sign = d < 0 ? "-" : "";
      String exp = (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
      return sign + mantissa + "e" + exp;
    }
    return exact.toPlainString();
  }

  /** Go's %q of a string. */
  static String quote(String s) {
    return io.pontoon.sandbox.apiserver.GoQuote.quote(s);
  }
}
