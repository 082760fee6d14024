package io.pontoon.sandbox.apiserver.selection;

/** Operators of a label requirement; {@link #symbol()} is the spelling in selector strings. */
public enum LabelOperator {
  IN("in"),
  NOT_IN("notin"),
  EQUALS("="),
  DOUBLE_EQUALS("=="),
  NOT_EQUALS("!="),
  GREATER_THAN("gt"),
  LESS_THAN("lt"),
  EXISTS("exists"),
  DOES_NOT_EXIST("!");

  private final String symbol;

  LabelOperator(String symbol) {
    this.symbol = symbol;
  }

  /** The operator's name as selection.Operator spells it (used in parse error messages). */
  public String symbol() {
    return symbol;
  }
}
