package dev.tally.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.tally.model.ReasonCode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventGeneratorTest {
  private static final Pattern EVENT_ID = Pattern.compile("evt-[0-9a-f]{16}");
  private static final Pattern MILLIS_INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
  private static final Instant START = Instant.parse("2026-11-23T00:00:00Z");
  private static final String DEFAULT_HEADER =
      "event_id,user_id,event_type,event_time,product_id,category,price,currency,device,location,session_id";
  private static final List<String> FIELD_NAMES = List.of(DEFAULT_HEADER.split(","));
  private static final Set<String> EVENT_TYPES =
      Set.of("view", "add_to_cart", "remove_from_cart", "purchase", "search", "login", "logout");

  // Keeps 12.50 as 12.50, not 12.5.
  private static final ObjectMapper EXACT_JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  @TempDir Path tmp;

  private static GeneratorConfig.Builder config(Path dir) {
    return GeneratorConfig.builder().outputDir(dir).events(3000);
  }

  @ParameterizedTest
  @EnumSource(OutputFormat.class)
  void sameSeedWritesIdenticalBytes(OutputFormat format) throws IOException {
    GeneratorConfig first = config(tmp.resolve("a")).format(format).files(3).gzip(true).seed(7).build();
    GeneratorConfig second = first.toBuilder().outputDir(tmp.resolve("b")).build();

    EventGenerator.generate(first);
    EventGenerator.generate(second);

    List<String> names = fileNames(first.outputDir());
    assertEquals(
        List.of("_MANIFEST.json", "events-00000" + first.fileSuffix(), "events-00001" + first.fileSuffix(),
            "events-00002" + first.fileSuffix()),
        names);
    assertEquals(names, fileNames(second.outputDir()));
    for (String name : names) {
      assertTrue(
          Arrays.equals(
              Files.readAllBytes(first.outputDir().resolve(name)), Files.readAllBytes(second.outputDir().resolve(name))),
          name + " differs between two runs with the same seed");
    }
  }

  @Test
  void differentSeedWritesDifferentBytes() throws IOException {
    GeneratorConfig first = config(tmp.resolve("a")).seed(1).build();
    GeneratorConfig second = first.toBuilder().outputDir(tmp.resolve("b")).seed(2).build();

    GeneratedData a = EventGenerator.generate(first);
    GeneratedData b = EventGenerator.generate(second);

    assertFalse(Arrays.equals(Files.readAllBytes(Path.of(a.files().get(0))), Files.readAllBytes(Path.of(b.files().get(0)))));
    // Not a single event id in common: ids derive from the seed.
    Set<String> idsA = a.records().stream().map(GeneratedRecord::eventId).filter(id -> id != null)
        .collect(Collectors.toSet());
    assertTrue(b.records().stream().map(GeneratedRecord::eventId).noneMatch(idsA::contains));
    // The injected counts depend on the rates only.
    assertEquals(a.manifest().totals().invalidByReason(), b.manifest().totals().invalidByReason());
  }

  @Test
  void manifestTotalsMatchTheRecords() throws IOException {
    GeneratorConfig config = config(tmp).events(10_001).files(3).format(OutputFormat.JSONL).build();
    GeneratedData data = EventGenerator.generate(config);
    Manifest.Totals totals = data.manifest().totals();

    Map<RecordKind, Long> kinds = new EnumMap<>(RecordKind.class);
    Map<String, Long> reasons = new LinkedHashMap<>();
    for (GeneratedRecord record : data.records()) {
      kinds.merge(record.kind(), 1L, Long::sum);
      if (record.kind() == RecordKind.INVALID) {
        reasons.merge(record.reason().code(), 1L, Long::sum);
      }
    }
    // Counts follow the rates: round(10001 * 0.02), round(10001 * 0.01), round(10001 * 0.01).
    assertEquals(Map.of(RecordKind.VALID, 9601L, RecordKind.LATE, 100L, RecordKind.DUPLICATE, 100L,
        RecordKind.INVALID, 200L), kinds);
    assertEquals(10_001, totals.records());
    assertEquals(kinds.get(RecordKind.VALID) + kinds.get(RecordKind.LATE), totals.validUnique());
    assertEquals(kinds.get(RecordKind.LATE), totals.late());
    assertEquals(kinds.get(RecordKind.DUPLICATE), totals.duplicates());
    assertEquals(kinds.get(RecordKind.INVALID), totals.invalid());
    assertEquals(totals.records(), totals.validUnique() + totals.duplicates() + totals.invalid());
    assertEquals(reasons, new HashMap<>(totals.invalidByReason()));
    assertEquals(totals.invalid(), totals.invalidByReason().values().stream().mapToLong(Long::longValue).sum());
    assertEquals(totals.validUnique(),
        totals.validUniqueByEventType().values().stream().mapToLong(Long::longValue).sum());
    assertEquals(totals, EventGenerator.totals(config.schema(), data.records()));

    // Files: near-equal contiguous chunks, sizes as on disk.
    assertEquals(List.of(3333L, 3334L, 3334L),
        data.manifest().files().stream().map(Manifest.FileEntry::records).collect(Collectors.toList()));
    for (int i = 0; i < 3; i++) {
      Manifest.FileEntry entry = data.manifest().files().get(i);
      assertEquals(config.fileName(i), entry.name());
      assertEquals(entry.records(), entry.lines());
      assertEquals(Files.size(Path.of(data.files().get(i))), entry.bytes());
    }

    // The file on disk says the same, holds no absolute path, and reads back.
    String json = Files.readString(Path.of(data.manifestLocation()));
    assertEquals(data.manifest().toJson(), json);
    assertFalse(json.contains(tmp.toString()), json);
    assertEquals(data.manifest(), Manifest.read(Path.of(data.manifestLocation())));
    JsonNode tree = new ObjectMapper().readTree(json);
    assertEquals("default", tree.path("config").path("schema").asText());
    assertEquals(500, tree.path("config").path("users").asInt());
    assertEquals(10_001, tree.path("config").path("events").asInt());
    assertEquals("jsonl", tree.path("config").path("format").asText());
    assertEquals(0.02, tree.path("config").path("invalid_rate").asDouble());
    assertEquals(9701, tree.path("totals").path("valid_unique").asLong());
    assertEquals(200, tree.path("totals").path("invalid").asLong());
    assertEquals(100, tree.path("totals").path("duplicates").asLong());
    assertEquals(100, tree.path("totals").path("late").asLong());
    assertEquals("events-00001.jsonl", tree.path("files").path(1).path("name").asText());
    assertEquals(List.of("malformed_record", "missing_required_field", "unknown_event_type", "invalid_timestamp",
        "invalid_number", "negative_price", "purchase_without_price"), data.manifest().config().injectedReasons());
    assertEquals(List.of(), data.manifest().config().notes());
    // Every event type of the schema is listed, in the schema's order.
    assertEquals(List.of("view", "add_to_cart", "remove_from_cart", "purchase", "search", "login", "logout"),
        new ArrayList<>(totals.validUniqueByEventType().keySet()));
  }

  @Test
  void everyInjectedReasonAppearsEvenly() throws IOException {
    GeneratedData data = EventGenerator.generate(config(tmp).events(2000).invalidRate(0.07).build());

    Map<ReasonCode, Long> reasons = new EnumMap<>(ReasonCode.class);
    data.records().stream()
        .filter(record -> record.kind() == RecordKind.INVALID)
        .forEach(record -> reasons.merge(record.reason(), 1L, Long::sum));
    // The default schema allows all seven defects: 2000 * 0.07 = 140 = 7 * 20.
    Map<ReasonCode, Long> expected = new EnumMap<>(ReasonCode.class);
    for (ReasonCode reason : List.of(ReasonCode.MALFORMED_RECORD, ReasonCode.MISSING_REQUIRED_FIELD,
        ReasonCode.UNKNOWN_EVENT_TYPE, ReasonCode.INVALID_TIMESTAMP, ReasonCode.INVALID_NUMBER,
        ReasonCode.NEGATIVE_PRICE, ReasonCode.PURCHASE_WITHOUT_PRICE)) {
      expected.put(reason, 20L);
    }
    assertEquals(expected, reasons);
    Map<String, Long> expectedCodes = new LinkedHashMap<>();
    expected.forEach((reason, count) -> expectedCodes.put(reason.code(), count));
    assertEquals(expectedCodes, data.manifest().totals().invalidByReason());
  }

  @ParameterizedTest
  @EnumSource(OutputFormat.class)
  void invalidRecordsHaveExactlyTheirDefect(OutputFormat format) {
    List<GeneratedRecord> records =
        EventGenerator.records(config(tmp).events(7000).invalidRate(0.1).format(format).build());
    ObjectMapper json = new ObjectMapper();
    int checked = 0;
    for (GeneratedRecord record : records) {
      if (record.kind() != RecordKind.INVALID) {
        continue;
      }
      assertNull(record.eventId());
      assertNull(record.eventType());
      if (record.reason() == ReasonCode.MALFORMED_RECORD) {
        if (format == OutputFormat.CSV) {
          int columns = record.line().split(",", -1).length;
          assertNotEquals(FIELD_NAMES.size(), columns, record.line());
        } else {
          assertThrows(IOException.class, () -> json.readTree(record.line()), record.line());
        }
        checked++;
        continue;
      }
      Map<String, String> fields = fields(format, record.line());
      String type = fields.get("event_type");
      String time = fields.get("event_time");
      String price = fields.get("price");
      boolean userBlank = fields.get("user_id") == null || fields.get("user_id").isBlank();
      boolean typeKnown = EVENT_TYPES.contains(type);
      boolean timeValid = time != null && MILLIS_INSTANT.matcher(time).matches();
      boolean priceNumber = price == null || price.matches("-?\\d+\\.\\d{2}");
      boolean priceNegative = price != null && price.startsWith("-");
      boolean purchaseWithoutPrice = "purchase".equals(type) && price == null;
      assertNotNull(fields.get("event_id"), record.line());
      // One defect, the one the reason names.
      assertEquals(record.reason() == ReasonCode.MISSING_REQUIRED_FIELD, userBlank, record.line());
      assertEquals(record.reason() == ReasonCode.UNKNOWN_EVENT_TYPE, !typeKnown, record.line());
      assertEquals(record.reason() == ReasonCode.INVALID_TIMESTAMP, !timeValid, record.line());
      assertEquals(record.reason() == ReasonCode.INVALID_NUMBER, !priceNumber, record.line());
      assertEquals(record.reason() == ReasonCode.NEGATIVE_PRICE, priceNegative, record.line());
      assertEquals(record.reason() == ReasonCode.PURCHASE_WITHOUT_PRICE, purchaseWithoutPrice, record.line());
      checked++;
    }
    assertEquals(700, checked);
  }

  @Test
  void validRecordsCarryTheirValuesInTheLine() {
    List<GeneratedRecord> records = EventGenerator.records(config(tmp).events(5000).build());
    for (GeneratedRecord record : records) {
      if (record.kind() == RecordKind.INVALID) {
        continue;
      }
      Map<String, String> fields = fields(OutputFormat.CSV, record.line());
      assertEquals(record.eventId(), fields.get("event_id"));
      assertEquals(record.userId(), fields.get("user_id"));
      assertTrue(record.userId().matches("user-\\d{5}"), record.userId());
      assertEquals(record.eventType(), fields.get("event_type"));
      assertTrue(MILLIS_INSTANT.matcher(fields.get("event_time")).matches(), record.line());
      assertEquals(record.eventTime(), Instant.parse(fields.get("event_time")));
      if (record.price() == null) {
        assertNull(fields.get("price"), record.line());
        assertNotEquals("purchase", record.eventType());
      } else {
        assertEquals(record.price().toPlainString(), fields.get("price"));
        assertEquals(2, record.price().scale());
        assertTrue(record.price().compareTo(new BigDecimal("1.00")) >= 0, record.line());
        assertTrue(record.price().compareTo(new BigDecimal("500.00")) <= 0, record.line());
        // generator.price.eventTypes: searches, logins and logouts have no price.
        assertTrue(Set.of("view", "add_to_cart", "remove_from_cart", "purchase").contains(record.eventType()),
            record.line());
      }
      // The other fields follow their generate hints (session_id: presence 1, format sess-%08d, count 100000).
      assertTrue(fields.get("session_id").matches("sess-\\d{8}"), record.line());
      int session = Integer.parseInt(fields.get("session_id").substring(5));
      assertTrue(session >= 1 && session <= 100_000, record.line());
      assertTrue(fields.get("currency") == null || Set.of("EUR", "USD", "GBP").contains(fields.get("currency")),
          record.line());
      assertTrue(fields.get("product_id") == null || fields.get("product_id").matches("prod-\\d{5}"), record.line());
    }
  }

  @Test
  void jsonLinesUseWireNamesAndNumericPrices() throws IOException {
    List<GeneratedRecord> records =
        EventGenerator.records(config(tmp).events(2000).format(OutputFormat.JSONL).build());
    ObjectMapper json = new ObjectMapper();
    Set<String> wireNames = Set.copyOf(FIELD_NAMES);
    int priced = 0;
    for (GeneratedRecord record : records) {
      if (!record.isUniqueValid()) {
        continue;
      }
      JsonNode node = json.readTree(record.line());
      node.fieldNames().forEachRemaining(name -> assertTrue(wireNames.contains(name), name));
      assertEquals(record.eventId(), node.get("event_id").asText());
      if (record.price() != null) {
        assertTrue(node.get("price").isNumber(), record.line());
        assertTrue(record.line().contains("\"price\":" + record.price().toPlainString() + ","), record.line());
        priced++;
      } else {
        assertFalse(node.has("price"), record.line());
      }
      // Numbers only for the one decimal field; every other value a JSON string.
      node.fields().forEachRemaining(entry ->
          assertTrue(entry.getKey().equals("price") || entry.getValue().isTextual(), record.line()));
    }
    assertTrue(priced > 800, "priced events: " + priced);
  }

  @Test
  void duplicatesCopyAnEarlierValidLine() throws IOException {
    GeneratedData data = EventGenerator.generate(config(tmp).events(20_000).files(4).duplicateRate(0.05).build());
    Map<String, GeneratedRecord> validById = new HashMap<>();
    int duplicates = 0;
    int acrossFiles = 0;
    for (GeneratedRecord record : data.records()) {
      if (record.isUniqueValid()) {
        assertNull(validById.put(record.eventId(), record), "event id reused: " + record.eventId());
      } else if (record.kind() == RecordKind.DUPLICATE) {
        GeneratedRecord original = validById.get(record.eventId());
        assertNotNull(original, "no earlier valid record for duplicate " + record.line());
        assertEquals(original.line(), record.line());
        assertEquals(eventIdIn(record.line()), record.eventId());
        assertEquals(original.userId(), record.userId());
        assertEquals(original.eventType(), record.eventType());
        assertEquals(original.eventTime(), record.eventTime());
        assertEquals(original.price(), record.price());
        duplicates++;
        if (!original.file().equals(record.file())) {
          acrossFiles++;
        }
      }
    }
    assertEquals(1000, duplicates);
    assertTrue(acrossFiles > 0, "some duplicates should land in a later file than their original");
  }

  @Test
  void everyRecordButDuplicatesHasItsOwnEventId() {
    List<GeneratedRecord> records = EventGenerator.records(config(tmp).events(10_000).invalidRate(0.1).build());
    Set<String> ids = new HashSet<>();
    long notDuplicates = 0;
    for (GeneratedRecord record : records) {
      if (record.kind() != RecordKind.DUPLICATE) {
        notDuplicates++;
        assertTrue(ids.add(eventIdIn(record.line())), record.line());
      }
    }
    assertEquals(10_000 - 100, notDuplicates);
  }

  @Test
  void eventTimesAreInOrderExceptLateEvents() {
    GeneratorConfig config = config(tmp).events(30_000).lateRate(0.03).build();
    List<GeneratedRecord> records = EventGenerator.records(config);
    Instant end = START.plus(Duration.ofHours(24));
    Instant previousValid = null;
    int late = 0;
    for (int i = 0; i < records.size(); i++) {
      GeneratedRecord record = records.get(i);
      if (record.kind() == RecordKind.VALID) {
        assertFalse(record.eventTime().isBefore(START));
        assertTrue(record.eventTime().isBefore(end));
        if (previousValid != null) {
          assertFalse(record.eventTime().isBefore(previousValid), "out of order at record " + i);
        }
        previousValid = record.eventTime();
      } else if (record.kind() == RecordKind.LATE) {
        late++;
        assertFalse(record.eventTime().isBefore(START), record.line());
        assertNotNull(previousValid);
        Duration behindPrevious = Duration.between(record.eventTime(), previousValid);
        assertTrue(behindPrevious.compareTo(Duration.ofHours(1)) >= 0, record.line());
        if (records.get(i - 1).kind() == RecordKind.VALID) {
          // Measured from the record right before it: 1 to 3 hours.
          assertTrue(behindPrevious.compareTo(Duration.ofHours(3)) <= 0, record.line());
        }
        GeneratedRecord next = nextValid(records, i);
        if (next != null) {
          assertTrue(Duration.between(record.eventTime(), next.eventTime()).compareTo(Duration.ofHours(1)) >= 0);
        }
      }
    }
    assertEquals(900, late);
  }

  @Test
  void lineNumbersMatchTheFiles() throws IOException {
    for (OutputFormat format : OutputFormat.values()) {
      GeneratorConfig config = config(tmp.resolve(format.code())).events(2500).files(3).format(format).build();
      GeneratedData data = EventGenerator.generate(config);
      Map<String, List<String>> contents = new HashMap<>();
      for (String file : data.files()) {
        contents.put(file, Files.readAllLines(Path.of(file), StandardCharsets.UTF_8));
      }
      for (GeneratedRecord record : data.records()) {
        List<String> lines = contents.get(record.file());
        assertNotNull(lines, "unknown file " + record.file());
        assertEquals(record.line(), lines.get((int) record.lineNumber() - 1), record.sourcePosition());
      }
      int header = format == OutputFormat.CSV ? 1 : 0;
      long total = 0;
      for (int i = 0; i < 3; i++) {
        List<String> lines = contents.get(config.fileLocation(i));
        if (header == 1) {
          assertEquals(DEFAULT_HEADER, lines.get(0));
        }
        assertEquals(data.manifest().files().get(i).lines(), lines.size());
        total += lines.size() - header;
      }
      assertEquals(2500, total);
      // Records come file by file, line by line.
      GeneratedRecord first = data.records().get(0);
      assertEquals(config.fileLocation(0), first.file());
      assertEquals(1 + header, first.lineNumber());
      GeneratedRecord secondFile = data.records().get(833);
      assertEquals(config.fileLocation(1), secondFile.file());
      assertEquals(1 + header, secondFile.lineNumber());
    }
  }

  @ParameterizedTest
  @EnumSource(OutputFormat.class)
  void gzipFilesHoldTheSameLinesAndNoTemporaryFilesRemain(OutputFormat format) throws IOException {
    GeneratorConfig plain = config(tmp.resolve("plain")).files(2).format(format).build();
    GeneratorConfig gzip = plain.toBuilder().outputDir(tmp.resolve("gzip")).gzip(true).build();

    GeneratedData plainData = EventGenerator.generate(plain);
    GeneratedData gzipData = EventGenerator.generate(gzip);

    assertEquals(List.of("_MANIFEST.json", "events-00000" + format.suffix() + ".gz",
        "events-00001" + format.suffix() + ".gz"), fileNames(gzip.outputDir()));
    assertEquals(List.of("_MANIFEST.json", "events-00000" + format.suffix(), "events-00001" + format.suffix()),
        fileNames(plain.outputDir()));
    for (int i = 0; i < 2; i++) {
      byte[] decompressed;
      try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(gzipData.files().get(i))))) {
        decompressed = in.readAllBytes();
      }
      assertTrue(Arrays.equals(Files.readAllBytes(Path.of(plainData.files().get(i))), decompressed), "file " + i);
    }
    assertEquals(plainData.records().stream().map(GeneratedRecord::line).collect(Collectors.toList()),
        gzipData.records().stream().map(GeneratedRecord::line).collect(Collectors.toList()));
    assertEquals(plainData.manifest().totals(), gzipData.manifest().totals());
    assertTrue(gzipData.manifest().config().gzip());
  }

  @Test
  void recordsWithoutWritingAreTheWrittenRecords() throws IOException {
    GeneratorConfig config = config(tmp).events(4000).files(2).format(OutputFormat.JSONL).build();
    List<GeneratedRecord> inMemory = EventGenerator.records(config);
    assertEquals(List.of(), fileNames(tmp));
    assertEquals(EventGenerator.generate(config).records(), inMemory);
  }

  @Test
  void refusesAFolderHoldingAnEarlierRunUnlessOverwrite() throws IOException {
    GeneratorConfig config = config(tmp).events(100).files(3).build();
    EventGenerator.generate(config);
    Files.writeString(tmp.resolve("notes.txt"), "not the generator's");

    FileAlreadyExistsException refused =
        assertThrows(FileAlreadyExistsException.class, () -> EventGenerator.generate(config.toBuilder().files(1).build()));
    assertTrue(refused.getMessage().contains("events-00000.csv"), refused.getMessage());
    assertTrue(refused.getMessage().contains("--overwrite"), refused.getMessage());

    GeneratedData replaced = EventGenerator.generate(config.toBuilder().files(1).seed(5).overwrite(true).build());
    assertEquals(List.of("_MANIFEST.json", "events-00000.csv", "notes.txt"), fileNames(tmp));
    assertEquals(101, Files.readAllLines(Path.of(replaced.files().get(0))).size());
    assertEquals(5, Manifest.read(tmp.resolve("_MANIFEST.json")).config().seed());
  }

  @Test
  void aLeftoverManifestAloneAlsoCountsAsAnEarlierRun() throws IOException {
    Files.writeString(tmp.resolve(GeneratorConfig.MANIFEST_NAME), "{}");
    assertThrows(FileAlreadyExistsException.class, () -> EventGenerator.generate(config(tmp).build()));
  }

  @Test
  void createsMissingFoldersAndWritesAHeaderOnlyFileForZeroEvents() throws IOException {
    Path dir = tmp.resolve("a/b/c");
    GeneratedData data = EventGenerator.generate(config(dir).events(0).build());
    assertEquals(List.of(DEFAULT_HEADER), Files.readAllLines(Path.of(data.files().get(0))));
    assertEquals(List.of(), data.records());
    Manifest.Totals totals = data.manifest().totals();
    assertEquals(0, totals.records() + totals.validUnique() + totals.duplicates() + totals.invalid());
    assertEquals(Map.of(), totals.invalidByReason());
  }

  @Test
  void allDuplicatesStillCopyAValidRecord() {
    List<GeneratedRecord> records =
        EventGenerator.records(config(tmp).events(10).duplicateRate(1).invalidRate(0).lateRate(0).build());
    assertEquals(RecordKind.VALID, records.get(0).kind());
    for (GeneratedRecord record : records.subList(1, 10)) {
      assertEquals(RecordKind.DUPLICATE, record.kind());
      assertEquals(records.get(0).line(), record.line());
    }
  }

  @Test
  void mixLooksLikeUserActivity() {
    List<GeneratedRecord> valid =
        EventGenerator.records(config(tmp).events(30_000).build()).stream()
            .filter(GeneratedRecord::isUniqueValid)
            .collect(Collectors.toList());
    Map<String, Long> types =
        valid.stream().collect(Collectors.groupingBy(GeneratedRecord::eventType, Collectors.counting()));
    // The default schema's generator.eventTypes.
    Map<String, Double> expected = Map.of(
        "view", 0.55, "search", 0.12, "add_to_cart", 0.12, "remove_from_cart", 0.04, "purchase", 0.06, "login", 0.06,
        "logout", 0.05);
    assertEquals(expected.keySet(), types.keySet());
    expected.forEach((type, share) -> assertEquals(share, types.get(type) / (double) valid.size(), 0.015, type));

    // Skewed users: the busiest user has several times the average user's events.
    Map<String, Long> byUser =
        valid.stream().collect(Collectors.groupingBy(GeneratedRecord::userId, Collectors.counting()));
    long busiest = byUser.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    assertTrue(busiest > 10 * valid.size() / 500, "busiest user has " + busiest + " events");
    assertTrue(byUser.size() > 400, "distinct users " + byUser.size());
    for (GeneratedRecord record : valid) {
      if (record.eventType().equals("purchase")) {
        assertNotNull(record.price(), record.line());
      }
    }
  }

  @Test
  void configRejectsBadValuesNamingTheOption() {
    assertRejected("invalidRate (--invalid-rate)", GeneratorConfig.builder().invalidRate(1.5));
    assertRejected("duplicateRate (--duplicate-rate)", GeneratorConfig.builder().duplicateRate(-0.1));
    assertRejected("lateRate (--late-rate)", GeneratorConfig.builder().lateRate(Double.NaN));
    assertRejected("at most 1", GeneratorConfig.builder().invalidRate(0.5).duplicateRate(0.3).lateRate(0.3));
    assertRejected("events (--events)", GeneratorConfig.builder().events(-1));
    assertRejected("users (--users)", GeneratorConfig.builder().users(0));
    assertRejected("files (--files)", GeneratorConfig.builder().files(0));
    assertRejected("span (--span)", GeneratorConfig.builder().span(Duration.ZERO));
    assertRejected("outputDir (--output)", GeneratorConfig.builder().outputDir(null));
    assertRejected("start (--start)", GeneratorConfig.builder().start(Instant.parse("2026-01-01T00:00:00.000001Z")));
    assertRejected("schema (--schema)", GeneratorConfig.builder().schema(null));
    // Exactly 1 is fine, even when the doubles add up to a hair more.
    GeneratorConfig.builder().invalidRate(0.7).duplicateRate(0.2).lateRate(0.1).build();
  }

  private static void assertRejected(String expectedInMessage, GeneratorConfig.Builder builder) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
  }

  private static GeneratedRecord nextValid(List<GeneratedRecord> records, int from) {
    for (int i = from + 1; i < records.size(); i++) {
      if (records.get(i).kind() == RecordKind.VALID) {
        return records.get(i);
      }
    }
    return null;
  }

  private static String eventIdIn(String line) {
    Matcher matcher = EVENT_ID.matcher(line);
    assertTrue(matcher.find(), line);
    return matcher.group();
  }

  /** The fields of a well-formed line by wire name; empty or absent fields map to null. */
  private static Map<String, String> fields(OutputFormat format, String line) {
    Map<String, String> fields = new HashMap<>();
    if (format == OutputFormat.CSV) {
      // Generated values hold no comma except in quoted bad prices like "1,99".
      List<String> values = new ArrayList<>();
      Matcher matcher = Pattern.compile("\"([^\"]*)\"|([^,]*)").matcher(line);
      int position = 0;
      while (position <= line.length() && matcher.find(position)) {
        values.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
        position = matcher.end() + 1;
      }
      assertEquals(FIELD_NAMES.size(), values.size(), line);
      for (int i = 0; i < FIELD_NAMES.size(); i++) {
        String value = values.get(i);
        fields.put(FIELD_NAMES.get(i), value.isEmpty() ? null : value);
      }
    } else {
      try {
        EXACT_JSON.readTree(line).fields().forEachRemaining(entry -> {
          JsonNode value = entry.getValue();
          String text = value.isNumber() ? value.decimalValue().toPlainString() : value.asText();
          fields.put(entry.getKey(), text.isEmpty() ? null : text);
        });
      } catch (IOException e) {
        throw new AssertionError(line, e);
      }
    }
    return fields;
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(path -> path.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }
}
