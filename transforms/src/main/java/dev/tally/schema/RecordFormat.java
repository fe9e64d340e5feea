package dev.tally.schema;

import dev.tally.model.InputFormat;
import java.io.Serializable;

/**
 * How records are laid out in a file: CSV lines (with their delimiter and quote character, under a header line
 * or in the schema's field order) or one JSON object per line with the field names as keys.
 */
public record RecordFormat(InputFormat type, char delimiter, char quote, boolean header) implements Serializable {

  public static RecordFormat csv() {
    return new RecordFormat(InputFormat.CSV, ',', '"', true);
  }

  public static RecordFormat jsonl() {
    return new RecordFormat(InputFormat.JSONL, ',', '"', true);
  }

  /** The same CSV options with another encoding, e.g. when {@code --format=jsonl} overrides the schema. */
  public RecordFormat withType(InputFormat newType) {
    return new RecordFormat(newType, delimiter, quote, header);
  }

  public boolean isCsv() {
    return type == InputFormat.CSV;
  }
}
