package dev.tally.runners.bench;

import java.util.Locale;

/**
 * One row of a soak's table, taken every sample interval.
 *
 * @param elapsedSeconds since producing began
 * @param produced events Kafka has acknowledged
 * @param stored records accounted for in PostgreSQL: user_events + dead_letters rows (warm-up events left out)
 * @param heap the pipeline JVM's heap, or null if it could not be read
 * @param loadAverage the machine's 1, 5 and 15 minute load averages
 * @param producing whether the producer was still sending (else: the drain)
 */
record SoakSample(long elapsedSeconds, long produced, long stored, HeapUsage heap, String loadAverage,
    boolean producing) {
  static final String[] HEADER = {"elapsed", "produced", "stored", "lag", "heap used / committed", "load average", "phase"};
  /** Column widths: the printed rows line up while they come, one every sample interval. */
  private static final int[] WIDTHS = {7, 11, 11, 9, 21, 16, 0};
  /** The numeric columns, right-aligned. */
  private static final int NUMERIC_COLUMNS = 5;

  /** Events produced but not yet stored. */
  long lag() {
    return produced - stored;
  }

  /** The cells: elapsed as m:ss, counts with thousands separators, heap in MB ("?" if unread). */
  String[] cells() {
    return new String[] {
      String.format(Locale.ROOT, "%d:%02d", elapsedSeconds / 60, elapsedSeconds % 60),
      String.format(Locale.ROOT, "%,d", produced),
      String.format(Locale.ROOT, "%,d", stored),
      String.format(Locale.ROOT, "%,d", lag()),
      heap == null ? "?" : heap.cell(),
      loadAverage,
      producing ? "producing" : "drain",
    };
  }

  /** This sample as one line of the table. */
  String line() {
    return line(cells());
  }

  /** The header line. */
  static String headerLine() {
    return line(HEADER);
  }

  private static String line(String[] cells) {
    StringBuilder line = new StringBuilder();
    for (int column = 0; column < cells.length; column++) {
      if (column > 0) {
        line.append("  ");
      }
      int width = WIDTHS[column];
      String alignment = column < NUMERIC_COLUMNS ? "" : "-";
      line.append(width == 0 ? cells[column] : String.format(Locale.ROOT, "%" + alignment + width + "s", cells[column]));
    }
    return line.toString().stripTrailing();
  }
}
