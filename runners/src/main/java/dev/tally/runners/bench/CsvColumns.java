package dev.tally.runners.bench;

import dev.tally.schema.EventSchema;
import java.util.Arrays;
import java.util.List;

/**
 * Where the schema's fields sit in a CSV file, from its header line, as the pipeline reads it: names in any order
 * (surrounding spaces ignored), extra columns allowed; a header without a required column or naming one twice
 * makes every line of its file a dead letter.
 *
 * @param count how many columns each line must have
 * @param columnOf for each schema field, its column, or -1 when the file has none
 */
record CsvColumns(int count, int[] columnOf) {

  /** The layout, or null when the header cannot be used (the whole file is then dead-lettered). */
  static CsvColumns of(EventSchema schema, List<String> header) {
    int[] columnOf = new int[schema.fieldCount()];
    Arrays.fill(columnOf, -1);
    for (int column = 0; column < header.size(); column++) {
      int field = schema.indexOf(header.get(column).strip());
      if (field >= 0) {
        if (columnOf[field] >= 0) {
          return null;
        }
        columnOf[field] = column;
      }
    }
    for (int field = 0; field < schema.fieldCount(); field++) {
      if (schema.field(field).required() && columnOf[field] < 0) {
        return null;
      }
    }
    return new CsvColumns(header.size(), columnOf);
  }

  /** The column of a schema field, or -1. */
  int of(int field) {
    return field < 0 ? -1 : columnOf[field];
  }
}
