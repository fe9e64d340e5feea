package dev.tally.generator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tally.schema.EventSchema;
import dev.tally.schema.FieldType;
import dev.tally.schema.RecordFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a record's field texts as one line in the schema's format: CSV with its delimiter and quote, in the
 * schema's field order (an absent field is an empty column); or a JSON object keyed by field name (an absent
 * field is left out), long and decimal fields as JSON numbers, everything else as strings. Not thread-safe (it
 * reuses a CSV printer).
 */
final class LineWriter {
  /** What may be written as a JSON number unchanged: no leading zeros, no exponent (a bad number stays a string). */
  private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?");
  private static final JsonFactory JSON = new JsonFactory();

  private final EventSchema schema;
  private final boolean csv;
  private final boolean[] numeric;
  private final StringBuilder csvLine = new StringBuilder(256);
  private final CSVPrinter csvPrinter;

  LineWriter(EventSchema schema) {
    this.schema = schema;
    RecordFormat format = schema.format();
    this.csv = format.isCsv();
    this.numeric = new boolean[schema.fieldCount()];
    for (int i = 0; i < numeric.length; i++) {
      FieldType type = schema.field(i).type();
      numeric[i] = type == FieldType.LONG || type == FieldType.DECIMAL;
    }
    CSVFormat csvFormat =
        CSVFormat.DEFAULT.builder()
            .setDelimiter(format.delimiter())
            .setQuote(format.quote())
            .setRecordSeparator('\n')
            .build();
    try {
      this.csvPrinter = new CSVPrinter(csvLine, csvFormat);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean isJson() {
    return !csv;
  }

  /** The line a file starts with, or null: the schema's CSV header when its format asks for one. */
  String header() {
    return csv && schema.format().header() ? schema.csvHeader() : null;
  }

  /** @param values one text per schema field, null where absent */
  String line(String[] values) {
    return csv ? csvLine(csvColumns(values)) : jsonLine(values);
  }

  /** The record broken as a whole: CSV with a column too many or too few; JSON cut off before its end. */
  String malformed(String[] values, SplittableRandom random) {
    if (csv) {
      int count = values.length;
      String[] columns;
      if (random.nextInt(4) == 0) {
        columns = Arrays.copyOf(csvColumns(values), count + 1);
        columns[count] = "extra";
      } else {
        columns = Arrays.copyOf(csvColumns(values), 2 + random.nextInt(count - 2));
      }
      return csvLine(columns);
    }
    String json = jsonLine(values);
    // Any proper prefix of an object lacks its closing brace.
    int half = json.length() / 2;
    return json.substring(0, half + random.nextInt(json.length() - 1 - half));
  }

  private static String[] csvColumns(String[] values) {
    String[] columns = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      columns[i] = values[i] == null ? "" : values[i];
    }
    return columns;
  }

  private String csvLine(String[] columns) {
    csvLine.setLength(0);
    try {
      csvPrinter.printRecord((Object[]) columns);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return csvLine.substring(0, csvLine.length() - 1);
  }

  private String jsonLine(String[] values) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      for (int i = 0; i < values.length; i++) {
        String value = values[i];
        if (value == null) {
          continue;
        }
        json.writeFieldName(schema.field(i).name());
        if (numeric[i] && JSON_NUMBER.matcher(value).matches()) {
          json.writeNumber(value);
        } else {
          json.writeString(value);
        }
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
