package dev.tally.transforms;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tally.model.DeadLetter;
import dev.tally.model.InputFormat;
import dev.tally.model.ParsedRecord;
import dev.tally.model.RawRecord;
import dev.tally.model.ReasonCode;
import dev.tally.model.Stage;
import dev.tally.schema.EventSchema;
import dev.tally.schema.RecordFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Splits raw records into field texts, one per field of the {@link EventSchema}, as its format says (CSV with
 * its delimiter and quote, under a header or in schema order; or JSON Lines keyed by field name). Records that
 * cannot be split (too large, blank, not CSV or JSON, wrong column count, a header lacking a required column) go
 * to the dead letters with stage {@code parse}; nothing is dropped. Typing and rules are {@link ValidateEvents}'
 * job.
 */
public class ParseEvents
    extends PTransform<PCollection<RawRecord>, WithFailures.Result<PCollection<ParsedRecord>, DeadLetter>> {

  /** Default record size limit: 1 MiB of UTF-8. */
  public static final long DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

  private static final String BYTE_ORDER_MARK = "\uFEFF";
  private static final char NUL = '\u0000';
  private static final char REPLACEMENT_CHARACTER = '\uFFFD';

  public static final TupleTag<ParsedRecord> PARSED = new TupleTag<>("parsed") {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("parseDeadLetters") {};

  private final EventSchema schema;
  private final long maxRecordBytes;

  public ParseEvents(EventSchema schema, long maxRecordBytes) {
    if (maxRecordBytes <= 0) {
      throw new IllegalArgumentException("maxRecordBytes must be positive, got " + maxRecordBytes);
    }
    this.schema = schema;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** The default schema in the given encoding. */
  public ParseEvents(InputFormat format, long maxRecordBytes) {
    this(EventSchema.defaultSchema().withFormat(format), maxRecordBytes);
  }

  public ParseEvents(InputFormat format) {
    this(format, DEFAULT_MAX_RECORD_BYTES);
  }

  @Override
  public WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> expand(PCollection<RawRecord> records) {
    PCollectionTuple outputs =
        records.apply(
            "SplitFields",
            ParDo.of(new ParseFn(schema, maxRecordBytes))
                .withOutputTags(PARSED, TupleTagList.of(DEAD_LETTERS)));
    return WithFailures.Result.of(outputs, PARSED, DEAD_LETTERS);
  }

  /** Thrown inside the DoFn to route a record to the dead letters; never escapes it. */
  private static final class MalformedRecord extends Exception {
    MalformedRecord(String message) {
      super(message, null, false, false);
    }
  }

  // Package-private for the property tests, which call it directly.
  static final class ParseFn extends DoFn<RawRecord, ParsedRecord> {
    private final EventSchema schema;
    private final long maxRecordBytes;
    private final Counter read = TallyMetrics.counter(TallyMetrics.READ);
    private transient ObjectMapper json;
    private transient CSVFormat csv;
    private transient CsvLayout positional;
    // Files share a handful of headers; parse each once.
    private transient Map<String, CsvLayout> layouts;

    ParseFn(EventSchema schema, long maxRecordBytes) {
      this.schema = schema;
      this.maxRecordBytes = maxRecordBytes;
    }

    @Setup
    public void setup() {
      json =
          new ObjectMapper()
              .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
              .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
              // Keeps 12.50 as written rather than 12.5, as CSV does.
              .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
      csv = csvFormat(schema.format());
      positional = CsvLayout.positional(schema);
      layouts = new HashMap<>();
    }

    @ProcessElement
    public void processElement(@Element RawRecord record, MultiOutputReceiver out) {
      read.inc();
      try {
        checkSize(record.payload());
        String payload = withoutByteOrderMark(record.payload());
        if (payload.isBlank()) {
          throw new MalformedRecord("blank line");
        }
        checkCharacters(payload);
        List<String> values = schema.format().isCsv() ? splitCsv(record, payload) : splitJson(payload);
        out.get(PARSED).output(new ParsedRecord(record, values));
      } catch (RecordTooLarge e) {
        out.get(DEAD_LETTERS)
            .output(DeadLetter.of(record, Stage.PARSE, ReasonCode.RECORD_TOO_LARGE, e.getMessage()));
      } catch (MalformedRecord e) {
        out.get(DEAD_LETTERS)
            .output(DeadLetter.of(record, Stage.PARSE, ReasonCode.MALFORMED_RECORD, e.getMessage()));
      }
    }

    private void checkSize(String payload) throws RecordTooLarge {
      // A UTF-8 char is at most 3 bytes per UTF-16 unit: skip the exact count for the common small record.
      if ((long) payload.length() * 3 <= maxRecordBytes) {
        return;
      }
      long bytes = payload.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > maxRecordBytes) {
        throw new RecordTooLarge(
            "record has " + bytes + " bytes, more than the limit of " + maxRecordBytes + " bytes");
      }
    }

    private List<String> splitCsv(RawRecord record, String payload) throws MalformedRecord {
      CsvLayout layout =
          record.csvHeader() == null
              ? positional
              : layouts.computeIfAbsent(record.csvHeader(), header -> CsvLayout.of(schema, csv, header));
      if (layout.problem != null) {
        throw new MalformedRecord(layout.problem);
      }
      List<String> columns = parseCsvLine(payload, csv);
      if (payload.equals(record.csvHeader()) || (schema.format().header() && namesOnlyFields(columns))) {
        // Concatenated CSV files repeat their header; as data it would fail on its event_type, misleadingly. A
        // schema without a header line reads such a line as data, as it says.
        throw new MalformedRecord("a repeated CSV header line, not a record");
      }
      if (columns.size() != layout.columnCount) {
        throw new MalformedRecord(
            "expected " + layout.columnCount + " columns, found " + columns.size());
      }
      List<String> values = new ArrayList<>(schema.fieldCount());
      for (int field = 0; field < schema.fieldCount(); field++) {
        int column = layout.columnOf[field];
        values.add(column < 0 ? null : emptyToNull(columns.get(column)));
      }
      return values;
    }

    /** True when every column is the name of a schema field: a header line, whatever its column order. */
    private boolean namesOnlyFields(List<String> columns) {
      for (String column : columns) {
        if (schema.indexOf(column.strip()) < 0) {
          return false;
        }
      }
      return true;
    }

    private List<String> splitJson(String payload) throws MalformedRecord {
      JsonNode root;
      try {
        root = json.readTree(payload);
      } catch (JsonProcessingException e) {
        throw new MalformedRecord("not valid JSON: " + e.getOriginalMessage());
      }
      if (root == null || !root.isObject()) {
        throw new MalformedRecord("expected a JSON object");
      }
      List<String> values = new ArrayList<>(schema.fieldCount());
      for (int field = 0; field < schema.fieldCount(); field++) {
        String name = schema.field(field).name();
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
          values.add(null);
        } else if (node.isContainerNode()) {
          throw new MalformedRecord("field " + name + " must be a single value, not "
              + (node.isArray() ? "an array" : "an object"));
        } else if (node.isFloatingPointNumber()) {
          values.add(decimalText(node));
        } else {
          values.add(emptyToNull(node.asText()));
        }
      }
      return values;
    }
  }

  private static final class RecordTooLarge extends Exception {
    RecordTooLarge(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Why {@code header} cannot serve as a CSV header of the schema (e.g. it lacks a required column), or empty
   * when it can. A file whose first line fails this probably has no header: readers then pass that line on as a
   * record too, so it is dead-lettered instead of vanishing.
   */
  public static Optional<String> csvHeaderProblem(EventSchema schema, String header) {
    return Optional.ofNullable(CsvLayout.of(schema, csvFormat(schema.format()), header).problem);
  }

  /** The default schema's header check. */
  public static Optional<String> csvHeaderProblem(String header) {
    return csvHeaderProblem(EventSchema.defaultSchema(), header);
  }

  static CSVFormat csvFormat(RecordFormat format) {
    return CSVFormat.DEFAULT.builder().setDelimiter(format.delimiter()).setQuote(format.quote()).build();
  }

  static List<String> parseCsvLine(String line, CSVFormat csv) throws MalformedRecord {
    List<String> unquoted = splitUnquoted(line, csv);
    if (unquoted != null) {
      return unquoted;
    }
    try (CSVParser parser = CSVParser.parse(line, csv)) {
      List<CSVRecord> rows = parser.getRecords();
      if (rows.size() != 1) {
        throw new MalformedRecord("expected one CSV record, found " + rows.size());
      }
      return rows.get(0).toList();
    } catch (UncheckedIOException | IOException e) {
      // Commons CSV reports unbalanced quotes and stray characters this way.
      throw new MalformedRecord("not valid CSV: " + e.getMessage());
    }
  }

  /**
   * The columns of a line that holds no quote character and no line break, split at the delimiter: exactly what
   * Commons CSV makes of it (trailing empty columns included), without the CSVParser, Lexer and 8 KB reader
   * buffer Commons CSV builds per call, which the batch profile showed among the top costs per record. Null for
   * any other line (or a blank one), which goes through Commons CSV.
   */
  static List<String> splitUnquoted(String line, CSVFormat csv) {
    char quote = csv.getQuoteCharacter() == null ? NUL : csv.getQuoteCharacter();
    char delimiter = csv.getDelimiterString().length() == 1 ? csv.getDelimiterString().charAt(0) : NUL;
    if (delimiter == NUL || line.isBlank() || csv.getEscapeCharacter() != null || csv.getCommentMarker() != null
        || csv.getIgnoreSurroundingSpaces() || csv.getTrim() || csv.getNullString() != null) {
      return null;
    }
    List<String> columns = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == quote || c == '\n' || c == '\r') {
        return null;
      }
      if (c == delimiter) {
        columns.add(line.substring(start, i));
        start = i + 1;
      }
    }
    columns.add(line.substring(start));
    return columns;
  }

  /**
   * A JSON decimal as text for validation. Not toPlainString: 1e999999999 would become a gigabyte of zeros.
   * A number beyond a double's range arrives as infinity and is passed on as such, to fail validation.
   */
  private static String decimalText(JsonNode node) {
    try {
      return node.decimalValue().toString();
    } catch (NumberFormatException e) {
      return node.asText();
    }
  }

  /**
   * Rejects a NUL character: text input never holds one, so it is binary data or corruption, and PostgreSQL text
   * columns cannot store it (the value would be changed on the way in). Rejects U+FFFD too: the file reader and
   * Kafka's string deserializer put it where bytes were not UTF-8, so the record's real text is lost.
   */
  private static void checkCharacters(String payload) throws MalformedRecord {
    int nul = payload.indexOf(NUL);
    if (nul >= 0) {
      throw new MalformedRecord("has a NUL character at position " + (nul + 1) + ": binary data, not text");
    }
    int undecodable = payload.indexOf(REPLACEMENT_CHARACTER);
    if (undecodable >= 0) {
      throw new MalformedRecord("has bytes that are not UTF-8 at position " + (undecodable + 1)
          + " (shown as U+FFFD here): the input is in another encoding, or corrupt");
    }
  }

  /**
   * A record without the UTF-8 byte order mark some tools write before the first line: an invisible character
   * that is not data (it would otherwise become part of the first field, or make JSON invalid).
   */
  private static String withoutByteOrderMark(String payload) {
    return payload.startsWith(BYTE_ORDER_MARK) ? payload.substring(BYTE_ORDER_MARK.length()) : payload;
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  /** Where each schema field sits in the columns of one CSV header, or why the header cannot be used. */
  private static final class CsvLayout {
    final int columnCount;
    final int[] columnOf;
    final String problem;

    private CsvLayout(int columnCount, int[] columnOf, String problem) {
      this.columnCount = columnCount;
      this.columnOf = columnOf;
      this.problem = problem;
    }

    /** Columns in the schema's field order: header-less files, or lines read without their header. */
    static CsvLayout positional(EventSchema schema) {
      int[] columnOf = new int[schema.fieldCount()];
      Arrays.setAll(columnOf, i -> i);
      return new CsvLayout(schema.fieldCount(), columnOf, null);
    }

    static CsvLayout of(EventSchema schema, CSVFormat csv, String header) {
      List<String> names;
      try {
        names = parseCsvLine(header, csv);
      } catch (MalformedRecord e) {
        return new CsvLayout(0, null, "the file's CSV header is not valid CSV: " + e.getMessage());
      }
      int[] columnOf = new int[schema.fieldCount()];
      Arrays.fill(columnOf, -1);
      for (int column = 0; column < names.size(); column++) {
        // Extra columns are allowed: real exports carry more than Tally reads.
        int field = schema.indexOf(names.get(column).strip());
        if (field < 0) {
          continue;
        }
        if (columnOf[field] >= 0) {
          return new CsvLayout(
              0, null, "the file's CSV header names column " + schema.field(field).name() + " twice");
        }
        columnOf[field] = column;
      }
      for (int field = 0; field < schema.fieldCount(); field++) {
        if (schema.field(field).required() && columnOf[field] < 0) {
          return new CsvLayout(0, null, "the file's CSV header has no column " + schema.field(field).name()
              + ": header is '" + header + "'");
        }
      }
      return new CsvLayout(names.size(), columnOf, null);
    }
  }
}
