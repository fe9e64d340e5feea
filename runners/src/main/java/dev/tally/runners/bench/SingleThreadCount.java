package dev.tally.runners.bench;

import dev.tally.generator.GroundTruth.CountKey;
import dev.tally.model.WindowedCount;
import dev.tally.pipelines.io.CountRecords;
import dev.tally.schema.EventSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The floor of the benchmark: one thread, no framework. Reads the CSV files, applies the schema's rules to what
 * decides whether and where a record counts, keeps one record per event id and window (the earliest), counts per
 * window, user and event type, and writes the counts as Parquet in Tally's layout.
 *
 * <p>Each file is parsed as one CSV stream: a line with an unbalanced quote would swallow the next lines here,
 * where the pipeline dead-letters it alone (generated data has none).
 */
@Command(name = "single-thread-count", mixinStandardHelpOptions = true, description = "The benchmark's plain Java loop.")
public final class SingleThreadCount implements Callable<Integer> {
  @Option(names = "--input", required = true, paramLabel = "GLOB", description = "Local CSV files, default schema.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Writes DIR/counts/.")
  Path output;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SingleThreadCount()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    Map<CountKey, Long> counts = count(InputFiles.matching(input), CountingRules.hourlyDefault());
    write(counts, output.resolve("counts").resolve("part-00000.parquet"));
    System.out.printf("%,d count rows written to %s%n", counts.size(), output.resolve("counts"));
    return 0;
  }

  /** A record's share of the counts: its time (to keep the earliest copy), user and Tally's event type. */
  private record Kept(long millis, String userId, String eventType) {
    static Kept earlier(Kept a, Kept b) {
      int byTime = Long.compare(a.millis, b.millis);
      if (byTime != 0) {
        return byTime < 0 ? a : b;
      }
      int byUser = a.userId.compareTo(b.userId);
      return byUser < 0 || (byUser == 0 && a.eventType.compareTo(b.eventType) <= 0) ? a : b;
    }
  }

  private record WindowAndId(long windowStart, String eventId) {}

  /** The counts of the files, in row order. */
  public static Map<CountKey, Long> count(List<Path> files, CountingRules rules) throws IOException {
    EventSchema schema = rules.schema();
    CSVFormat csv =
        CSVFormat.DEFAULT.builder().setDelimiter(schema.format().delimiter()).setQuote(schema.format().quote()).build();
    Map<WindowAndId, Kept> unique = new HashMap<>();
    Map<CountKey, Long> counts = new TreeMap<>();
    for (Path file : files) {
      try (BufferedReader reader = InputFiles.open(file);
          CSVParser parser = CSVParser.parse(reader, csv)) {
        CsvColumns columns = null;
        boolean header = true;
        for (CSVRecord record : parser) {
          if (header) {
            header = false;
            columns = CsvColumns.of(schema, record.toList());
            if (columns == null) {
              break;
            }
            continue;
          }
          if (record.size() != columns.count() || !requiredPresent(record, columns, schema)) {
            continue;
          }
          String type = rules.eventType(value(record, columns.of(schema.eventTypeIndex())));
          Long millis = rules.eventTimeMillis(value(record, columns.of(schema.eventTimeIndex())));
          if (type == null || millis == null || !rules.priceAllowed(value(record, columns.of(schema.priceIndex())), type)) {
            continue;
          }
          String user = value(record, columns.of(schema.userIndex()));
          long window = rules.windowStart(millis);
          Kept kept = new Kept(millis, user, type);
          if (schema.hasEventId()) {
            unique.merge(new WindowAndId(window, value(record, columns.of(schema.eventIdIndex()))), kept, Kept::earlier);
          } else {
            add(counts, rules, window, kept);
          }
        }
      }
    }
    unique.forEach((key, kept) -> add(counts, rules, key.windowStart(), kept));
    return counts;
  }

  private static void add(Map<CountKey, Long> counts, CountingRules rules, long window, Kept kept) {
    counts.merge(
        new CountKey(Instant.ofEpochMilli(window), Instant.ofEpochMilli(window + rules.windowMillis()), kept.userId, kept.eventType),
        1L,
        Long::sum);
  }

  private static boolean requiredPresent(CSVRecord record, CsvColumns columns, EventSchema schema) {
    for (int field = 0; field < schema.fieldCount(); field++) {
      if (schema.field(field).required() && CountingRules.isBlank(value(record, columns.of(field)))) {
        return false;
      }
    }
    return true;
  }

  private static String value(CSVRecord record, int column) {
    return column < 0 ? null : record.get(column);
  }

  /** One Parquet file in the pipeline's counts layout. */
  static void write(Map<CountKey, Long> counts, Path file) throws IOException {
    Configuration conf = new Configuration();
    try (ParquetWriter<GenericRecord> writer =
        AvroParquetWriter.<GenericRecord>builder(HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))
            .withSchema(CountRecords.SCHEMA)
            .withConf(conf)
            .build()) {
      for (Map.Entry<CountKey, Long> row : counts.entrySet()) {
        CountKey key = row.getKey();
        writer.write(CountRecords.toRecord(
            new WindowedCount(key.windowStart(), key.windowEnd(), key.userId(), key.eventType(), row.getValue())));
      }
    }
  }
}
