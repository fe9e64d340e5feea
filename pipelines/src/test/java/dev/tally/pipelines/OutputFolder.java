package dev.tally.pipelines;

import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.pipelines.io.ParquetFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;

/** Reads a batch run's output folder back for assertions. */
final class OutputFolder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OutputFolder() {}

  /** The key {@link #counts} uses: {@code start/end user type}. */
  static String countKey(Instant windowStart, Instant windowEnd, String userId, String eventType) {
    return windowStart + "/" + windowEnd + " " + userId + " " + eventType;
  }

  /** {@code counts/} as key -> event_count, failing if a (window, user, type) has two rows. */
  static Map<String, Long> counts(Path out) throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    for (GenericRecord row : ParquetFolder.readAll(out.resolve("counts"))) {
      String key =
          countKey(
              Instant.ofEpochMilli((Long) row.get("window_start")),
              Instant.ofEpochMilli((Long) row.get("window_end")),
              row.get("user_id").toString(),
              row.get("event_type").toString());
      assertNull(counts.put(key, (Long) row.get("event_count")), "one row per window, user and type: " + key);
    }
    return counts;
  }

  /** Every object of the {@code dead-letters/} JSON Lines files. */
  static List<JsonNode> deadLetters(Path out) throws IOException {
    List<JsonNode> letters = new ArrayList<>();
    for (String line : readLines(out.resolve("dead-letters"), ".jsonl")) {
      letters.add(JSON.readTree(line));
    }
    return letters;
  }

  /** All lines of the files in {@code folder} whose names end with {@code suffix}, files in name order. */
  static List<String> readLines(Path folder, String suffix) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(suffix)).sorted().toList()) {
        lines.addAll(Files.readAllLines(file));
      }
    }
    return lines;
  }
}
