package io.pontoon.sandbox.apiserver.selection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Label key and value rules of Kubernetes (qualified names, label values), with the messages that
 * kube-apiserver prints for them. Lengths are counted in UTF-8 bytes, as Go does.
 */
public final class LabelRules {
  private static final String NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final Pattern NAME = Pattern.compile(NAME_FMT);
  private static final String NAME_MSG =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  private static final String VALUE_FMT = "(" + NAME_FMT + ")?";
  private static final Pattern VALUE = Pattern.compile(VALUE_FMT);
  private static final String VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, "
      + "'-', '_' or '.', and must start and end with an alphanumeric character";
  private static final String DNS_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String SUBDOMAIN_FMT = DNS_LABEL_FMT + "(\\." + DNS_LABEL_FMT + ")*";
  private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_FMT);
  private static final String SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
      + "characters, '-' or '.', and must start and end with an alphanumeric character";
  static final int MAX_NAME = 63;
  static final int MAX_SUBDOMAIN = 253;

  private LabelRules() {}

  /** Problems with a label key (a qualified name with an optional DNS subdomain prefix); empty when valid. */
  public static List<String> keyErrors(String key) {
    List<String> errs = new ArrayList<>();
    String[] parts = key.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      String prefix = parts[0];
      name = parts[1];
      if (prefix.isEmpty()) {
        errs.add("prefix part must be non-empty");
      } else {
        for (String e : subdomainErrors(prefix)) {
          errs.add("prefix part " + e);
        }
      }
    } else {
      errs.add("a valid label key " + regexError(NAME_MSG, NAME_FMT, "MyName", "my.name", "123-abc")
          + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errs;
    }
    if (name.isEmpty()) {
      errs.add("name part must be non-empty");
    } else if (bytes(name) > MAX_NAME) {
      errs.add("name part " + maxLenError(MAX_NAME));
    }
    if (!NAME.matcher(name).matches()) {
      errs.add("name part " + regexError(NAME_MSG, NAME_FMT, "MyName", "my.name", "123-abc"));
    }
    return errs;
  }

  /** Problems with a label value; empty when valid (the empty string is a valid value). */
  public static List<String> valueErrors(String value) {
    List<String> errs = new ArrayList<>();
    if (bytes(value) > MAX_NAME) {
      errs.add(maxLenError(MAX_NAME));
    }
    if (!VALUE.matcher(value).matches()) {
      errs.add(regexError(VALUE_MSG, VALUE_FMT, "MyValue", "my_value", "12345"));
    }
    return errs;
  }

  static List<String> subdomainErrors(String value) {
    List<String> errs = new ArrayList<>();
    if (bytes(value) > MAX_SUBDOMAIN) {
      errs.add(maxLenError(MAX_SUBDOMAIN));
    }
    if (!SUBDOMAIN.matcher(value).matches()) {
      errs.add(regexError(SUBDOMAIN_MSG, SUBDOMAIN_FMT, "example.com"));
    }
    return errs;
  }

  static String maxLenError(int length) {
    return "must be no more than " + length + " bytes";
  }

  static String regexError(String msg, String regex, String... examples) {
    StringBuilder sb = new StringBuilder(msg);
    if (examples.length == 0) {
      return sb.append(" (regex used for validation is '").append(regex).append("')").toString();
    }
    sb.append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      if (i > 0) {
        sb.append(" or ");
      }
      sb.append('\'').append(examples[i]).append("', ");
    }
    return sb.append("regex used for validation is '").append(regex).append("')").toString();
  }

  static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Go's {@code %q} rendering of a string, as kube prints bad values. */
  static String quote(String s) {
    return io.pontoon.sandbox.apiserver.GoQuote.quote(s);
  }
}
