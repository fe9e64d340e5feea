package dev.tally.pipelines;

import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.generator.GroundTruth.CountKey;
import dev.tally.pipelines.io.ParquetFolder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/** Reads a batch run's output folder (local or on HDFS) back for assertions. */
final class OutputFolder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OutputFolder() {}

  /** {@code counts/} as key -> event_count, failing if a (window, user, type) has two rows. */
  static Map<CountKey, Long> counts(Path out) throws IOException {
    return counts(out.toUri().toString());
  }

  /** As {@link #counts(Path)}, for a local path or a URI such as {@code hdfs://...}. */
  static Map<CountKey, Long> counts(String out) throws IOException {
    Map<CountKey, Long> counts = new TreeMap<>();
    for (GenericRecord row : ParquetFolder.readAll(out + "/counts")) {
      CountKey key =
          new CountKey(
              Instant.ofEpochMilli((Long) row.get("window_start")),
              Instant.ofEpochMilli((Long) row.get("window_end")),
              row.get("user_id").toString(),
              row.get("event_type").toString());
      assertNull(counts.put(key, (Long) row.get("event_count")), "one row per window, user and type: " + key);
    }
    return counts;
  }

  /** Counts keyed by {@code start/end user type}, for readable expectations. */
  static Map<String, Long> asText(Map<CountKey, Long> counts) {
    Map<String, Long> text = new TreeMap<>();
    counts.forEach((key, count) -> text.put(key.toString(), count));
    return text;
  }

  /** Every object of the {@code dead-letters/} JSON Lines files. */
  static List<JsonNode> deadLetters(Path out) throws IOException {
    return deadLetters(out.toUri().toString());
  }

  /** As {@link #deadLetters(Path)}, for a local path or a URI such as {@code hdfs://...}. */
  static List<JsonNode> deadLetters(String out) throws IOException {
    List<JsonNode> letters = new ArrayList<>();
    for (String line : readLines(out + "/dead-letters", ".jsonl")) {
      letters.add(JSON.readTree(line));
    }
    return letters;
  }

  /** All lines of the files in {@code folder} whose names end with {@code suffix}, files in name order. */
  static List<String> readLines(String folder, String suffix) throws IOException {
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(folder);
    FileSystem fs = dir.getFileSystem(new Configuration());
    List<String> lines = new ArrayList<>();
    FileStatus[] files = fs.listStatus(dir, path -> path.getName().endsWith(suffix));
    Arrays.sort(files);
    for (FileStatus file : files) {
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(fs.open(file.getPath()), StandardCharsets.UTF_8))) {
        reader.lines().forEach(lines::add);
      }
    }
    return lines;
  }
}
