package dev.tally.runners.compare;

import dev.tally.generator.GroundTruth.CountKey;
import dev.tally.pipelines.io.ParquetFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;

/**
 * The counts of one run, read back from its {@code counts/} Parquet folder, in row order (window, user, type), with
 * a SHA-256 over them so runs of different engines can be compared at a glance.
 *
 * @param rows event count per window, user and event type
 */
public record Counts(SortedMap<CountKey, Long> rows) {

  public Counts {
    rows = Collections.unmodifiableSortedMap(new TreeMap<>(rows));
  }

  public static Counts of(Map<CountKey, Long> rows) {
    return new Counts(new TreeMap<>(rows));
  }

  /**
   * Reads every {@code *.parquet} file of a counts folder: Tally's layout ({@code window_start} and {@code
   * window_end} in epoch milliseconds, {@code user_id}, {@code event_type}, {@code event_count}), whichever engine
   * wrote it.
   *
   * @throws IllegalStateException if a window, user and type appears on two rows
   */
  public static Counts read(Path folder) throws IOException {
    SortedMap<CountKey, Long> rows = new TreeMap<>();
    for (GenericRecord row : ParquetFolder.readAll(folder)) {
      CountKey key =
          new CountKey(
              Instant.ofEpochMilli((Long) row.get("window_start")),
              Instant.ofEpochMilli((Long) row.get("window_end")),
              row.get("user_id").toString(),
              row.get("event_type").toString());
      Long count = (Long) row.get("event_count");
      if (rows.put(key, count) != null) {
        throw new IllegalStateException(folder + " holds two rows for " + key);
      }
    }
    return new Counts(rows);
  }

  /** Events counted over all rows. */
  public long events() {
    return rows.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * SHA-256, in hex, of the rows in order, one line each: {@code window_start,window_end,user_id,event_type,count}
   * with the windows in epoch milliseconds.
   */
  public String checksum() {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    StringBuilder line = new StringBuilder(96);
    rows.forEach(
        (key, count) -> {
          line.setLength(0);
          line.append(key.windowStart().toEpochMilli()).append(',')
              .append(key.windowEnd().toEpochMilli()).append(',')
              .append(key.userId()).append(',')
              .append(key.eventType()).append(',')
              .append(count).append('\n');
          digest.update(line.toString().getBytes(StandardCharsets.UTF_8));
        });
    return HexFormat.of().formatHex(digest.digest());
  }
}
