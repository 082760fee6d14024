package io.pontoon.cli;

import java.util.ArrayList;
import java.util.List;

/** Columns aligned with spaces, headers in capitals, as {@code kubectl get} prints them. */
public final class Table {
  private Table() {}

  public static String render(List<String> header, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(header.stream().map(String::toUpperCase).toList());
    all.addAll(rows);
    int[] widths = new int[header.size()];
    for (List<String> row : all) {
      for (int i = 0; i < widths.length && i < row.size(); i++) {
        widths[i] = Math.max(widths[i], cell(row, i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        String c = cell(row, i);
        line.append(c);
        if (i < widths.length - 1) line.append(" ".repeat(widths[i] - c.length() + 3));
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  private static String cell(List<String> row, int i) {
    String c = i < row.size() ? row.get(i) : null;
    return c == null || c.isEmpty() ? "<none>" : c;
  }
}
