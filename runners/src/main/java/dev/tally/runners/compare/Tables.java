package dev.tally.runners.compare;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Plain-text tables for the terminal: columns padded to their widest cell, numbers right-aligned. */
public final class Tables {
  private Tables() {}

  /**
   * @param rows the header row first, then the data rows; all of the same length
   * @param rightAligned the indexes of the columns to align right (numbers)
   */
  public static String format(List<String[]> rows, int... rightAligned) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int column = 0; column < columns; column++) {
        widths[column] = Math.max(widths[column], row[column].length());
      }
    }
    Set<Integer> right = Arrays.stream(rightAligned).boxed().collect(Collectors.toSet());
    StringBuilder table = new StringBuilder();
    for (String[] row : rows) {
      String line =
          IntStream.range(0, columns)
              .mapToObj(column -> pad(row[column], widths[column], right.contains(column)))
              .collect(Collectors.joining("  "));
      table.append(line.stripTrailing()).append('\n');
    }
    return table.toString();
  }

  private static String pad(String cell, int width, boolean right) {
    String padding = " ".repeat(width - cell.length());
    return right ? padding + cell : cell + padding;
  }
}
