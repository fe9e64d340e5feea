package dev.tally.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.model.WindowedCount;
import dev.tally.pipelines.io.EventRecords;
import dev.tally.schema.EventSchema;
import dev.tally.schema.FieldSpec;
import dev.tally.pipelines.io.ParquetFolder;
import dev.tally.testing.BadInputCorpus;
import dev.tally.testing.BadInputCorpus.BadInputClass;
import dev.tally.testing.TestPipelineExtension;
import dev.tally.transforms.ProcessEvents;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The batch pipeline end to end on the Direct runner, on small hand-written inputs read back exactly. */
@ExtendWith(TestPipelineExtension.class)
class BatchPipelineTest {
  private static final FieldSpec DEFAULT_PRICE =
      EventSchema.defaultSchema().field(EventSchema.defaultSchema().priceIndex());

  private static final String HEADER =
      "event_id,user_id,event_type,event_time,product_id,category,price,currency,device,location,session_id";
  // Same fields, another order, one extra column: real exports look like this.
  private static final String REORDERED_HEADER = "user_id,extra,event_time,event_type,event_id,price";

  @TempDir Path dir;

  private Path writeInputs() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(
        in.resolve("a.csv"),
        String.join(
            "\n",
            HEADER,
            "e1,alice,view,2026-11-23T10:15:30.123Z,p1,shoes,12.50,EUR,web,DE,s1",
            "e2,alice,view,2026-11-23T10:59:59.999Z,,,,,,,",
            "e3,alice,view,2026-11-23T11:00:00.000Z,,,,,,,",
            "e4,bob,purchase,2026-11-23T10:20:00Z,p2,books,9.99,EUR,ios,FR,s2",
            "e5,bob,purchase,2026-11-23T10:21:00Z,p2,books,,EUR,ios,FR,s2",
            "too,few,columns",
            "e6,bob,teleport,2026-11-23T10:22:00Z,,,,,,,")
            + "\n");
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(in.resolve("b.csv.gz")))) {
      gz.write(
          String.join(
                  "\n",
                  REORDERED_HEADER,
                  "alice,x,2026-11-23T10:15:30.123Z,view,e1,12.50",
                  "carol,y,2026-11-23T10:30:00Z,login,e7,",
                  "carol,z,yesterday,login,e8,",
                  "dave,w,2026-11-23T10:31:00Z,search,e9,-1")
              .concat("\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    return in;
  }

  @Test
  void writesCountsEventsDeadLettersAndSummary() throws Exception {
    Path in = writeInputs();
    Path out = dir.resolve("out");

    RunSummary summary =
        BatchPipeline.run(BatchPipeline.parseOptions("--input=" + in + "/*", "--output=" + out));

    // counts/: one row per (hour window, user, type)
    assertEquals(
        Map.of(
            "2026-11-23T10:00:00Z/2026-11-23T11:00:00Z alice view", 2L,
            "2026-11-23T11:00:00Z/2026-11-23T12:00:00Z alice view", 1L,
            "2026-11-23T10:00:00Z/2026-11-23T11:00:00Z bob purchase", 1L,
            "2026-11-23T10:00:00Z/2026-11-23T11:00:00Z carol login", 1L),
        OutputFolder.asText(OutputFolder.counts(out)));

    // events/: the valid events, e1 once although it is in both files
    List<GenericRecord> events = ParquetFolder.readAll(out.resolve("events"));
    assertEquals(
        List.of("e1", "e2", "e3", "e4", "e7"),
        events.stream().map(r -> r.get("event_id").toString()).sorted().toList());
    GenericRecord e4 =
        events.stream().filter(r -> r.get("event_id").toString().equals("e4")).findFirst().orElseThrow();
    assertEquals(new BigDecimal("9.9900"), EventRecords.decimal(DEFAULT_PRICE, (java.nio.ByteBuffer) e4.get("price")));
    assertEquals(Instant.parse("2026-11-23T10:20:00Z").toEpochMilli() * 1000, e4.get("event_time"));
    assertEquals("books", e4.get("category").toString());

    // dead-letters/: every rejected record with its raw text, position, stage and reason
    List<String> deadLetters = new ArrayList<>();
    for (JsonNode letter : OutputFolder.deadLetters(out)) {
      assertTrue(Instant.parse(letter.get("failed_at").asText()).isAfter(Instant.parse("2026-01-01T00:00:00Z")));
      assertTrue(!letter.get("message").asText().isBlank());
      deadLetters.add(String.join(" | ", letter.get("source").asText().replace(in.toString(), "IN"),
          letter.get("stage").asText(), letter.get("reason").asText(), letter.get("raw").asText()));
    }
    assertEquals(
        new TreeSet<>(List.of(
            "IN/a.csv:6 | validate | purchase_without_price | e5,bob,purchase,2026-11-23T10:21:00Z,p2,books,,EUR,ios,FR,s2",
            "IN/a.csv:7 | parse | malformed_record | too,few,columns",
            "IN/a.csv:8 | validate | unknown_event_type | e6,bob,teleport,2026-11-23T10:22:00Z,,,,,,,",
            "IN/b.csv.gz:4 | validate | invalid_timestamp | carol,z,yesterday,login,e8,",
            "IN/b.csv.gz:5 | validate | negative_price | dave,w,2026-11-23T10:31:00Z,search,e9,-1")),
        new TreeSet<>(deadLetters));
    assertEquals(5, deadLetters.size());

    // _SUMMARY.json: the same numbers, and read = valid + duplicates + dead letters
    RunSummary written = RunSummary.fromJson(Files.readString(out.resolve("_SUMMARY.json")));
    assertEquals(summary, written);
    assertEquals(11, written.read());
    assertEquals(5, written.valid());
    assertEquals(1, written.duplicates());
    assertEquals(5, written.deadLetters());
    assertEquals(1L, written.deadLettersByReason().get("malformed_record"));
    assertEquals(1L, written.deadLettersByReason().get("invalid_timestamp"));
    assertEquals(0L, written.deadLettersByReason().get("record_too_large"));
    assertEquals(4, written.countRows());
    assertEquals("DirectRunner", written.runner());
    assertTrue(written.invariantHolds());
    assertEquals(null, written.postgresUrl(), "no --jdbcUrl, no database output");
    assertEquals(written.runId(), java.util.UUID.fromString(written.runId()).toString(), "a random UUID by default");
  }

  @Test
  void readsJsonLines() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(
        in.resolve("events.jsonl"),
        """
        {"event_id":"j1","user_id":"u1","event_type":"purchase","event_time":"2026-11-23T08:00:00Z","price":3.5}
        {"event_id":"j2","user_id":"u1","event_type":"purchase","event_time":"2026-11-23T08:10:00Z","price":"abc"}
        {"event_id":"j3","user_id":"u1","event_type":"purchase","event_time":"2026-11-23T08:20:00Z","price":1}
        not json
        """);
    Path out = dir.resolve("out");

    RunSummary summary =
        BatchPipeline.run(
            BatchPipeline.parseOptions("--input=" + in + "/*.jsonl", "--output=" + out, "--format=jsonl"));

    List<GenericRecord> counts = ParquetFolder.readAll(out.resolve("counts"));
    assertEquals(1, counts.size());
    assertEquals(2L, counts.get(0).get("event_count"));
    assertEquals("purchase", counts.get(0).get("event_type").toString());
    assertEquals(
        List.of("invalid_number", "malformed_record"),
        OutputFolder.deadLetters(out).stream().map(letter -> letter.get("reason").asText()).sorted().toList());
    assertEquals(4, summary.read());
    assertEquals(2, summary.valid());
    assertEquals(2, summary.deadLetters());
  }

  /** beam-starter style: the same graph driven by a TestPipeline, asserted with PAssert. */
  @Test
  void buildPipelineRunsOnATestPipeline(TestPipeline pipeline) throws Exception {
    Path in = writeInputs();
    ProcessEvents.Result result =
        BatchPipeline.buildPipeline(
            pipeline,
            BatchPipeline.parseOptions(
                "--input=" + in + "/a.csv", "--output=" + dir.resolve("out"), "--windowSize=P1D"));

    PAssert.that(result.counts())
        .containsInAnyOrder(
            new WindowedCount(Instant.parse("2026-11-23T00:00:00Z"), Instant.parse("2026-11-24T00:00:00Z"), "alice", "view", 3),
            new WindowedCount(Instant.parse("2026-11-23T00:00:00Z"), Instant.parse("2026-11-24T00:00:00Z"), "bob", "purchase", 1));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aCsvFileWithoutHeaderIsDeadLetteredLineByLineAndHiddenFilesAreSkipped() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(
        in.resolve("no-header.csv"),
        "e1,alice,view,2026-11-23T10:15:30.123Z,,,,,,,\ne2,bob,view,2026-11-23T10:16:00Z,,,,,,,\n");
    Files.writeString(in.resolve("_MANIFEST.json"), "{\"not\": \"input\"}\n");
    Files.writeString(in.resolve(".events-00001.csv.tmp"), "half-written\n");
    Path out = dir.resolve("out");

    RunSummary summary = BatchPipeline.run(BatchPipeline.parseOptions("--input=" + in + "/*", "--output=" + out));

    List<String> letters = new ArrayList<>();
    for (JsonNode letter : OutputFolder.deadLetters(out)) {
      letters.add(letter.get("source").asText().replace(in.toString(), "IN") + " " + letter.get("reason").asText()
          + " " + letter.get("message").asText().startsWith("the file's CSV header has no column event_id"));
    }
    assertEquals(
        List.of("IN/no-header.csv:1 malformed_record true", "IN/no-header.csv:2 malformed_record true"),
        letters.stream().sorted().toList());
    assertEquals(2, summary.read());
    assertEquals(2, summary.deadLetters());
    assertEquals(0, summary.valid());

    UserError onlyHidden =
        assertThrows(UserError.class, () -> BatchPipeline.run(BatchPipeline.parseOptions(
            "--input=" + in + "/_*", "--output=" + dir.resolve("out2"))));
    assertTrue(onlyHidden.getMessage().contains("matches only files named _* or .*"), onlyHidden.getMessage());
  }

  @Test
  void userErrorsNameTheFix() throws IOException {
    Path in = writeInputs();
    Path out = dir.resolve("out");

    UserError missing =
        assertThrows(UserError.class, () -> BatchPipeline.run(BatchPipeline.parseOptions(
            "--input=" + dir.resolve("nowhere") + "/*.csv", "--output=" + out)));
    assertTrue(missing.getMessage().startsWith("no input file matches --input="), missing.getMessage());

    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String unreachable = "hdfs://127.0.0.1:" + closedPort + "/events/*.csv";
    UserError noNameNode =
        assertThrows(UserError.class, () -> BatchPipeline.run(BatchPipeline.parseOptions(
            "--input=" + unreachable, "--output=" + out)));
    assertEquals(
        "cannot read --input=" + unreachable + ": Connection refused (is HDFS running? ./tally stack up hdfs; "
            + "else check HADOOP_CONF_DIR or --hdfsConfiguration)",
        noNameNode.getMessage());

    UserError badWindow =
        assertThrows(UserError.class, () -> BatchPipeline.run(BatchPipeline.parseOptions(
            "--input=" + in + "/a.csv", "--output=" + out, "--windowSize=1 hour")));
    assertEquals("--windowSize=1 hour is not an ISO-8601 duration: write e.g. PT1H, PT15M or P1D", badWindow.getMessage());

    UserError badFormat =
        assertThrows(UserError.class, () -> BatchPipeline.run(BatchPipeline.parseOptions(
            "--input=" + in + "/a.csv", "--output=" + out, "--format=xml")));
    assertEquals("--format: Unknown format 'xml': use csv or jsonl", badFormat.getMessage());

    UserError unknownFlag =
        assertThrows(UserError.class, () -> BatchPipeline.parseOptions("--input=x", "--output=y", "--windowSise=PT1H"));
    assertTrue(unknownFlag.getMessage().contains("windowSise"), unknownFlag.getMessage());

    Files.createDirectories(out);
    Files.writeString(out.resolve("old.txt"), "a previous run");
    UserError used =
        assertThrows(UserError.class, () -> BatchPipeline.run(BatchPipeline.parseOptions(
            "--input=" + in + "/a.csv", "--output=" + out)));
    assertTrue(used.getMessage().contains("already holds files"), used.getMessage());
  }

  @Test
  void aTruncatedGzipFileFailsTheRunWithAUserErrorNamingIt() throws Exception {
    Path in = writeInputs();
    BadInputClass truncated =
        BadInputCorpus.classes().stream().filter(c -> "truncated".equals(c.fails())).findFirst().orElseThrow();
    Path file = BadInputCorpus.copyTo(truncated, in);
    Path out = dir.resolve("out");

    UserError failure =
        assertThrows(UserError.class, () -> BatchPipeline.run(BatchPipeline.parseOptions(
            "--input=" + in + "/*", "--output=" + out)));

    assertTrue(failure.getMessage().startsWith("cannot read input file " + file + " after line "), failure.getMessage());
    assertFalse(Files.exists(out.resolve(RunSummary.FILE_NAME)), "no summary for a failed run");
  }
}
