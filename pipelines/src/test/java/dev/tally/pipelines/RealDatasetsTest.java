package dev.tally.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.generator.GroundTruth.CountKey;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real public exports through the batch pipeline on Spark (local[2]) with their shipped schemas, and no code
 * written for them: the counts per (window, user, event type) must equal what this test computes by reading
 * the CSV itself. Both files are unmodified samples (checked by SHA-256): see src/test/resources/datasets.
 */
class RealDatasetsTest {
  private static final long FIVE_MINUTES_MS = 5 * 60 * 1000L;
  private static final long ONE_DAY_MS = 24 * 60 * 60 * 1000L;
  private static final DateTimeFormatter REES46_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

  @TempDir Path dir;

  @Test
  void rees46CountsEqualADirectReadingOfTheCsv() throws Exception {
    Path input = dataset("rees46-2019-oct-sample.csv", "71f1fd51c5f0c2ec0cba7f27127b00f1dd2b8f373de83b98256354c19982cf8d");
    List<String[]> rows = csvRows(input);
    assertEquals(1000, rows.size());
    // event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session
    Map<String, String> types = Map.of("view", "view", "cart", "add_to_cart", "purchase", "purchase");
    Map<CountKey, Long> expected =
        countsOf(
            rows,
            row -> LocalDateTime.parse(row[0], REES46_TIME).toInstant(ZoneOffset.UTC),
            row -> row[7],
            row -> types.get(row[1]),
            FIVE_MINUTES_MS);
    BigDecimal priceSum = BigDecimal.ZERO;
    long minCategoryId = Long.MAX_VALUE;
    for (String[] row : rows) {
      priceSum = priceSum.add(new BigDecimal(row[6]));
      minCategoryId = Math.min(minCategoryId, Long.parseLong(row[3]));
    }
    long users = rows.stream().map(row -> row[7]).distinct().count();

    try (TestPostgres postgres = TestPostgres.withNewSchema()) {
      Path out = dir.resolve("out");
      RunSummary summary =
          BatchPipeline.run(
              BatchPipeline.parseOptions(
                  "--runner=SparkRunner", "--sparkMaster=local[2]", "--schema=rees46", "--windowSize=PT5M",
                  "--input=" + input, "--output=" + out,
                  "--jdbcUrl=" + postgres.url(), "--jdbcPasswordFile=" + postgres.passwordFile(dir)));

      assertEquals(List.of(1000L, 1000L, 0L, 0L),
          List.of(summary.read(), summary.valid(), summary.duplicates(), summary.deadLetters()));
      assertEquals(OutputFolder.asText(expected), OutputFolder.asText(OutputFolder.counts(out)));
      assertEquals(expected.size(), summary.countRows());

      Map<CountKey, Long> stored = new TreeMap<>();
      for (List<Object> row :
          postgres.query("SELECT window_start, window_end, user_id, event_type, event_count FROM user_event_counts")) {
        stored.put(
            new CountKey(
                ((java.sql.Timestamp) row.get(0)).toInstant(), ((java.sql.Timestamp) row.get(1)).toInstant(),
                (String) row.get(2), (String) row.get(3)),
            (Long) row.get(4));
      }
      assertEquals(OutputFolder.asText(expected), OutputFolder.asText(stored));
      // user_events has the schema's typed columns: 19-digit category ids as bigint, prices as numeric.
      assertEquals(
          List.of(List.of((long) rows.size(), users, priceSum.setScale(2), minCategoryId)),
          postgres.query(
              "SELECT count(*), count(DISTINCT user_id), sum(price), min(category_id) FROM user_events"));
    }
  }

  @Test
  void retailrocketCountsEqualADirectReadingOfTheCsv() throws Exception {
    Path input =
        dataset("retailrocket-events-sample.csv", "8a36e33e4424a37a6f8afd715f16f2ab8191410f3ae0870286b57be1a0991ea7");
    List<String[]> rows = csvRows(input);
    // timestamp,visitorid,event,itemid,transactionid; no event id, so its one repeated line counts twice.
    Map<String, String> types = Map.of("view", "view", "addtocart", "add_to_cart", "transaction", "purchase");
    Map<CountKey, Long> expected =
        countsOf(rows, row -> Instant.ofEpochMilli(Long.parseLong(row[0])), row -> row[1], row -> types.get(row[2]),
            ONE_DAY_MS);

    Path out = dir.resolve("out");
    RunSummary summary =
        BatchPipeline.run(
            BatchPipeline.parseOptions(
                "--runner=SparkRunner", "--sparkMaster=local[2]", "--schema=retailrocket", "--windowSize=P1D",
                "--input=" + input, "--output=" + out));

    assertEquals(List.of(2771L, 2771L, 0L, 0L),
        List.of(summary.read(), summary.valid(), summary.duplicates(), summary.deadLetters()));
    assertEquals(OutputFolder.asText(expected), OutputFolder.asText(OutputFolder.counts(out)));
  }

  /** Counts per (window, user, type), computed here without any Tally code. */
  private static Map<CountKey, Long> countsOf(
      List<String[]> rows,
      Function<String[], Instant> time,
      Function<String[], String> user,
      Function<String[], String> type,
      long windowMs) {
    Map<CountKey, Long> counts = new TreeMap<>();
    for (String[] row : rows) {
      long start = Math.floorDiv(time.apply(row).toEpochMilli(), windowMs) * windowMs;
      CountKey key =
          new CountKey(Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + windowMs), user.apply(row),
              type.apply(row));
      counts.merge(key, 1L, Long::sum);
    }
    return counts;
  }

  /** The data rows; neither file quotes a field, so a plain split is an independent reading. */
  private static List<String[]> csvRows(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    return lines.subList(1, lines.size()).stream().map(line -> line.split(",", -1)).toList();
  }

  /** Copies a sample out of the test resources after checking it is the unmodified file. */
  private Path dataset(String name, String sha256) throws IOException, NoSuchAlgorithmException {
    byte[] bytes;
    try (InputStream in = RealDatasetsTest.class.getResourceAsStream("/datasets/" + name)) {
      bytes = in.readAllBytes();
    }
    assertEquals(sha256, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), name);
    Path file = dir.resolve("in").resolve(name);
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }
}
