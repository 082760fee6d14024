package io.pontoon.sandbox.apiserver.selection;

import io.pontoon.sandbox.apiserver.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Recursive-descent parser for the label selector grammar of k8s.io/apimachinery/pkg/labels:
 *
 * <pre>
 *   selector    ::= requirement | requirement "," selector
 *   requirement ::= ["!"] KEY [ ("in" | "notin") "(" VALUES ")" | ("=" | "==" | "!=" | "&gt;" | "&lt;") VALUE ]
 * </pre>
 *
 * Whitespace separates tokens and is otherwise ignored; {@code in} and {@code notin} are keywords
 * only where an operator is expected. Errors carry kube-apiserver's wording.
 */
final class LabelSelectorParser {
  private enum Tok {
    END, CLOSE_PAREN, COMMA, NOT, DOUBLE_EQUALS, EQUALS, GREATER, IDENT, IN, LESS, NOT_EQUALS, NOT_IN, OPEN_PAREN
  }

  private record Item(Tok tok, String literal) {}

  private final String input;
  private final List<Item> items = new ArrayList<>();
  private int position;

  LabelSelectorParser(String input) {
    this.input = input;
  }

  List<LabelRequirement> parse() {
    lex();
    List<LabelRequirement> reqs = new ArrayList<>();
    while (true) {
      Item next = lookahead(true);
      switch (next.tok) {
        case IDENT, NOT -> {
          reqs.add(requirement());
          Item after = consume(true);
          switch (after.tok) {
            case END -> {
              return reqs;
            }
            case COMMA -> {
              Item t2 = lookahead(true);
              if (t2.tok != Tok.IDENT && t2.tok != Tok.NOT) {
                throw fail("found '" + t2.literal + "', expected: identifier after ','");
              }
            }
            default -> throw fail("found '" + after.literal + "', expected: ',' or 'end of string'");
          }
        }
        case END -> {
          return reqs;
        }
        default -> throw fail("found '" + next.literal + "', expected: !, identifier, or 'end of string'");
      }
    }
  }

  private LabelRequirement requirement() {
    LabelOperator op = null;
    Item t = consume(true);
    if (t.tok == Tok.NOT) {
      op = LabelOperator.DOES_NOT_EXIST;
      t = consume(true);
    }
    if (t.tok != Tok.IDENT) {
      throw requirementError("found '" + t.literal + "', expected: identifier");
    }
    String key = t.literal;
    List<String> keyErrors = LabelRules.keyErrors(key);
    if (!keyErrors.isEmpty()) {
      // The parser checks the key with a nil field path, which Go prints as "<nil>".
      throw requirementError(LabelRequirement.invalid("<nil>", LabelRules.quote(key), String.join("; ", keyErrors)));
    }
    Tok following = lookahead(true).tok;
    if (following == Tok.END || following == Tok.COMMA) {
      if (op == null) {
        op = LabelOperator.EXISTS;
      }
    }
    if (op != null) {
      return checked(key, op, List.of());
    }
    op = operator();
    List<String> values = switch (op) {
      case IN, NOT_IN -> valueSet();
      default -> exactValue();
    };
    return checked(key, op, values);
  }

  private LabelRequirement checked(String key, LabelOperator op, List<String> values) {
    List<String> problems = LabelRequirement.problems(key, op, values);
    if (!problems.isEmpty()) {
      throw requirementError(LabelRequirement.aggregate(problems));
    }
    return new LabelRequirement(key, op, values);
  }

  private LabelOperator operator() {
    Item t = consume(false);
    return switch (t.tok) {
      case IN -> LabelOperator.IN;
      case EQUALS -> LabelOperator.EQUALS;
      case DOUBLE_EQUALS -> LabelOperator.DOUBLE_EQUALS;
      case GREATER -> LabelOperator.GREATER_THAN;
      case LESS -> LabelOperator.LESS_THAN;
      case NOT_IN -> LabelOperator.NOT_IN;
      case NOT_EQUALS -> LabelOperator.NOT_EQUALS;
      default -> throw requirementError("found '" + t.literal + "', expected: in, notin, =, ==, !=, gt, lt");
    };
  }

  private List<String> valueSet() {
    Item t = consume(true);
    if (t.tok != Tok.OPEN_PAREN) {
      throw requirementError("found '" + t.literal + "' expected: '('");
    }
    Item first = lookahead(true);
    switch (first.tok) {
      case IDENT, COMMA -> {
        List<String> values = identifiers();
        if (consume(true).tok != Tok.CLOSE_PAREN) {
          throw requirementError("found '" + first.literal + "', expected: ')'");
        }
        return values;
      }
      case CLOSE_PAREN -> {
        consume(true);
        return List.of(""); // "()" is the set holding the empty value
      }
      default -> throw requirementError("found '" + first.literal + "', expected: ',', ')' or identifier");
    }
  }

  /** A comma-separated list inside parentheses, where an omitted value is the empty string. */
  private List<String> identifiers() {
    TreeSet<String> values = new TreeSet<>();
    while (true) {
      Item t = consume(true);
      switch (t.tok) {
        case IDENT -> {
          values.add(t.literal);
          Item t2 = lookahead(true);
          if (t2.tok == Tok.CLOSE_PAREN) {
            return List.copyOf(values);
          }
          if (t2.tok != Tok.COMMA) {
            throw requirementError("found '" + t2.literal + "', expected: ',' or ')'");
          }
        }
        case COMMA -> {
          if (values.isEmpty()) {
            values.add(""); // "(,"
          }
          Tok t2 = lookahead(true).tok;
          if (t2 == Tok.CLOSE_PAREN) {
            values.add(""); // ",)"
            return List.copyOf(values);
          }
          if (t2 == Tok.COMMA) {
            consume(true);
            values.add(""); // ",,"
          }
        }
        default -> throw requirementError("found '" + t.literal + "', expected: ',', or identifier");
      }
    }
  }

  private List<String> exactValue() {
    Tok next = lookahead(true).tok;
    if (next == Tok.END || next == Tok.COMMA) {
      return List.of(""); // "k=" selects the empty value
    }
    Item t = consume(true);
    if (t.tok == Tok.IDENT) {
      return List.of(t.literal);
    }
    throw requirementError("found '" + t.literal + "', expected: identifier");
  }

  /** In value context the keywords in/notin are plain identifiers. */
  private Item lookahead(boolean values) {
    return view(items.get(position), values);
  }

  private Item consume(boolean values) {
    return view(items.get(position++), values);
  }

  private static Item view(Item item, boolean values) {
    if (values && (item.tok == Tok.IN || item.tok == Tok.NOT_IN)) {
      return new Item(Tok.IDENT, item.literal);
    }
    return item;
  }

  private static ApiException requirementError(String detail) {
    return fail("unable to parse requirement: " + detail);
  }

  private static ApiException fail(String message) {
    return ApiException.badRequest(message);
  }

  // --- lexer ---

  private void lex() {
    int i = 0;
    while (true) {
      while (i < input.length() && isWhitespace(input.charAt(i))) {
        i++;
      }
      if (i >= input.length() || input.charAt(i) == 0) {
        items.add(new Item(Tok.END, ""));
        return;
      }
      char c = input.charAt(i);
      if (isSpecial(c)) {
        i = lexSymbol(i);
      } else {
        int start = i;
        while (i < input.length() && input.charAt(i) != 0 && !isSpecial(input.charAt(i))
            && !isWhitespace(input.charAt(i))) {
          i++;
        }
        String word = input.substring(start, i);
        Tok tok = switch (word) {
          case "in" -> Tok.IN;
          case "notin" -> Tok.NOT_IN;
          default -> Tok.IDENT;
        };
        items.add(new Item(tok, word));
      }
    }
  }

  /** The longest operator made of special characters at {@code i} ("!=" and "==" over "!" and "="). */
  private int lexSymbol(int i) {
    char c = input.charAt(i);
    char n = i + 1 < input.length() ? input.charAt(i + 1) : 0;
    if (c == '!' && n == '=') {
      items.add(new Item(Tok.NOT_EQUALS, "!="));
      return i + 2;
    }
    if (c == '=' && n == '=') {
      items.add(new Item(Tok.DOUBLE_EQUALS, "=="));
      return i + 2;
    }
    Tok tok = switch (c) {
      case '=' -> Tok.EQUALS;
      case '!' -> Tok.NOT;
      case '(' -> Tok.OPEN_PAREN;
      case ')' -> Tok.CLOSE_PAREN;
      case ',' -> Tok.COMMA;
      case '>' -> Tok.GREATER;
      case '<' -> Tok.LESS;
      default -> throw new IllegalStateException(String.valueOf(c));
    };
    items.add(new Item(tok, String.valueOf(c)));
    return i + 1;
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isSpecial(char c) {
    return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
  }
}
