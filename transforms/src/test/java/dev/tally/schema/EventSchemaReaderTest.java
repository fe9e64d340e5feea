package dev.tally.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.model.EventField;
import dev.tally.model.EventType;
import dev.tally.model.InputFormat;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventSchemaReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOURCE = "schema file shop.json";

  /** A valid schema using every feature; each bad case below breaks exactly one thing in it. */
  private static final String SHOP =
      """
      {
        "name": "shop",
        "description": "A shop's export",
        "format": {"type": "csv", "delimiter": ";", "quote": "'", "header": false},
        "fields": [
          {"name": "event_id", "type": "string", "required": true},
          {"name": "user_id", "type": "string", "required": true, "pattern": "u[0-9]{3}"},
          {"name": "kind", "type": "enum", "required": true, "values": ["view", "cart", "buy"]},
          {"name": "at", "type": "timestamp", "required": true, "format": "dd/MM/uuuu HH:mm:ss", "zone": "Europe/Paris"},
          {"name": "amount", "type": "decimal", "precision": 10, "scale": 2, "requiredFor": ["purchase"]},
          {"name": "qty", "type": "long", "min": 1, "max": 99},
          {"name": "sku", "type": "string", "pattern": "S[0-9]+"}
        ],
        "roles": {"eventId": "event_id", "user": "user_id", "eventType": "kind", "eventTime": "at", "price": "amount"},
        "eventTypeMapping": {"cart": "add_to_cart", "buy": "purchase"},
        "generator": {"users": 10, "userFormat": "u%03d", "eventTypes": {"view": 8, "cart": 1, "buy": 1}}
      }
      """;

  private static EventSchema read(String json) {
    return EventSchemaReader.read(json, SOURCE);
  }

  // --- Shipped schemas ---

  @ParameterizedTest
  @MethodSource("builtInNames")
  void everyShippedSchemaLoadsUnderItsOwnName(String name) {
    EventSchema schema = EventSchema.builtIn(name);

    assertEquals(name, schema.name());
    assertEquals(name, EventSchema.load(name).name());
    assertFalse(schema.description().isBlank(), "a shipped schema says what it reads");
  }

  static Stream<String> builtInNames() {
    return EventSchema.BUILT_IN.stream();
  }

  @Test
  void defaultSchemaIsTheUserActivityModelOfEventFieldAndEventType() {
    EventSchema schema = EventSchema.defaultSchema();

    List<String> names = new ArrayList<>();
    List<Boolean> required = new ArrayList<>();
    for (FieldSpec field : schema.fields()) {
      names.add(field.name());
      required.add(field.required());
    }
    List<String> expectedNames = new ArrayList<>();
    List<Boolean> expectedRequired = new ArrayList<>();
    for (EventField field : EventField.values()) {
      expectedNames.add(field.wireName());
      expectedRequired.add(field.required());
    }
    assertEquals(expectedNames, names);
    assertEquals(expectedRequired, required);
    assertEquals(EventField.defaultCsvHeader(), schema.csvHeader());

    List<String> expectedTypes = new ArrayList<>();
    for (EventType type : EventType.values()) {
      expectedTypes.add(type.wireName());
    }
    assertEquals(expectedTypes, schema.field(EventField.EVENT_TYPE.ordinal()).values());
    assertEquals(expectedTypes, schema.eventTypes());
    for (String type : expectedTypes) {
      assertEquals(type, schema.eventTypeNames().get(type), "no mapping in the default schema");
    }

    assertEquals(EventField.EVENT_ID.ordinal(), schema.eventIdIndex());
    assertEquals(EventField.USER_ID.ordinal(), schema.userIndex());
    assertEquals(EventField.EVENT_TYPE.ordinal(), schema.eventTypeIndex());
    assertEquals(EventField.EVENT_TIME.ordinal(), schema.eventTimeIndex());
    assertEquals(EventField.PRICE.ordinal(), schema.priceIndex());
    FieldSpec price = schema.field(EventField.PRICE.ordinal());
    assertEquals(FieldType.DECIMAL, price.type());
    assertEquals(18, price.precision());
    assertEquals(4, price.scale());
    assertEquals(List.of("purchase"), price.requiredFor());
    assertEquals(new RecordFormat(InputFormat.CSV, ',', '"', true), schema.format());
  }

  @Test
  void rees46SchemaReadsTheExportsHeaderWithoutEventIdAndCountsCartAsAddToCart() {
    EventSchema schema = EventSchema.builtIn("rees46");

    assertEquals(
        "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session",
        schema.csvHeader());
    assertFalse(schema.hasEventId());
    assertEquals(-1, schema.eventIdIndex());
    assertEquals(
        Map.of("view", "view", "cart", "add_to_cart", "remove_from_cart", "remove_from_cart", "purchase", "purchase"),
        schema.eventTypeNames());
    assertEquals(List.of("view", "add_to_cart", "remove_from_cart", "purchase"), schema.eventTypes());
  }

  @Test
  void aSchemaFileIsReadIntoFieldsRolesMappingFormatAndGenerator() {
    EventSchema schema = read(SHOP);

    assertEquals("shop", schema.name());
    assertEquals("A shop's export", schema.description());
    assertEquals(new RecordFormat(InputFormat.CSV, ';', '\'', false), schema.format());
    assertEquals("event_id;user_id;kind;at;amount;qty;sku", schema.csvHeader());
    assertEquals(List.of(0, 1, 2, 3, 4), List.of(
        schema.eventIdIndex(), schema.userIndex(), schema.eventTypeIndex(), schema.eventTimeIndex(),
        schema.priceIndex()));
    assertEquals(5, schema.indexOf("qty"));
    assertEquals(-1, schema.indexOf("missing"));
    assertEquals(
        Map.of("view", "view", "cart", "add_to_cart", "buy", "purchase"), schema.eventTypeNames());
    assertEquals(List.of("view", "add_to_cart", "purchase"), schema.eventTypes());

    FieldSpec qty = schema.field(5);
    assertEquals(FieldType.LONG, qty.type());
    assertFalse(qty.required());
    assertEquals(new BigDecimal("1"), qty.min());
    assertEquals(new BigDecimal("99"), qty.max());
    assertEquals("S[0-9]+", schema.field(6).pattern().pattern());
    assertNull(schema.field(6).values());
    assertEquals(10, schema.field(4).precision());
    assertEquals(2, schema.field(4).scale());

    GeneratorSpec generator = schema.generator();
    assertEquals(10, generator.users());
    assertEquals("u%03d", generator.userFormat());
    assertEquals(Map.of("view", 8.0, "cart", 1.0, "buy", 1.0), generator.eventTypes());
  }

  @Test
  void withFormatKeepsTheCsvOptionsAndChangesOnlyTheEncoding() {
    EventSchema jsonl = read(SHOP).withFormat(InputFormat.JSONL);

    assertEquals(new RecordFormat(InputFormat.JSONL, ';', '\'', false), jsonl.format());
    assertEquals("shop", jsonl.name());
    assertEquals(7, jsonl.fieldCount());
  }

  // --- Loading by name or path ---

  @Test
  void loadReadsAFileByPathAndFallsBackToTheDefaultSchemaWithoutOne(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("shop.json");
    Files.writeString(file, SHOP);

    assertEquals("shop", EventSchema.load(file.toString()).name());
    assertEquals("default", EventSchema.load(null).name());
    assertEquals("default", EventSchema.load(" ").name());
  }

  @Test
  void loadNamesTheMissingFileAndTheChoices(@TempDir Path dir) {
    String missing = dir.resolve("missing.json").toString();

    SchemaException error = assertThrows(SchemaException.class, () -> EventSchema.load(missing));

    assertEquals(
        "Schema file " + missing + " does not exist: pass the path of a JSON schema file or one of the built-in"
            + " schemas default, db-actions, card-transactions, rees46, retailrocket",
        error.getMessage());
  }

  @Test
  void loadNamesTheFileInEveryProblem(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, SHOP.replace("\"long\"", "\"integer\""));

    SchemaException error = assertThrows(SchemaException.class, () -> EventSchema.load(file.toString()));

    assertEquals(
        "schema file " + file + ": fields[5] (qty): type 'integer' is unknown: use string, long, decimal, timestamp"
            + " or enum",
        error.getMessage());
  }

  @Test
  void anUnknownBuiltInNameIsRefusedWithTheChoices() {
    SchemaException error = assertThrows(SchemaException.class, () -> EventSchema.builtIn("rees47"));

    assertEquals(
        "There is no built-in schema 'rees47': use one of default, db-actions, card-transactions, rees46,"
            + " retailrocket or the path of a schema file",
        error.getMessage());
  }

  // --- Bad schema files ---

  /** The shop schema with one change; {@code message} is everything after the file name. */
  private static Arguments bad(String caseName, Consumer<ObjectNode> change, String message) {
    return Arguments.of(caseName, change, message);
  }

  private static ObjectNode field(ObjectNode schema, String name) {
    for (var node : fields(schema)) {
      if (node.path("name").asText().equals(name)) {
        return (ObjectNode) node;
      }
    }
    throw new IllegalArgumentException("no field " + name + " in the shop schema");
  }

  private static ObjectNode object(ObjectNode parent, String key) {
    return (ObjectNode) parent.get(key);
  }

  private static ArrayNode fields(ObjectNode schema) {
    return (ArrayNode) schema.get("fields");
  }

  private static ArrayNode texts(String... values) {
    ArrayNode array = JSON.createArrayNode();
    for (String value : values) {
      array.add(value);
    }
    return array;
  }

  static Stream<Arguments> badSchemas() {
    String fieldNames = "event_id, user_id, kind, at, amount, qty, sku";
    String timestampFormats = "format must be iso8601, epoch_millis, epoch_seconds or a date-time pattern; ";
    return Stream.of(
        bad(
            "unknown top-level key",
            s -> s.set("feilds", s.get("fields")),
            "the top level: unknown key 'feilds'; known keys are description, eventTypeMapping, fields, format,"
                + " generator, name, roles"),
        bad(
            "unknown field key",
            s -> field(s, "user_id").put("requird", true),
            "fields[1] (user_id): unknown key 'requird'; known keys are description, format, generate, max, min,"
                + " name, pattern, precision, required, requiredFor, scale, type, values, zone"),
        bad(
            "unknown format key",
            s -> object(s, "format").put("separator", ","),
            "format: unknown key 'separator'; known keys are delimiter, header, quote, type"),
        bad(
            "unknown format type",
            s -> object(s, "format").put("type", "xml"),
            "format.type 'xml' is unknown: use csv or jsonl"),
        bad(
            "delimiter of two characters",
            s -> object(s, "format").put("delimiter", ";;"),
            "format.delimiter must be exactly one character (not a line break), got ';;'"),
        bad(
            "unknown field type",
            s -> field(s, "qty").put("type", "integer"),
            "fields[5] (qty): type 'integer' is unknown: use string, long, decimal, timestamp or enum"),
        bad(
            "enum without values",
            s -> fields(s).addObject().put("name", "currency").put("type", "enum"),
            "fields[7] (currency): an enum field needs \"values\": [...] listing the accepted texts"),
        bad(
            "event-type enum without values",
            s -> field(s, "kind").remove("values"),
            "fields[2] (kind): values must be a non-empty array of texts"),
        bad(
            "enum listing a value twice",
            s -> field(s, "kind").set("values", texts("view", "cart", "view")),
            "fields[2] (kind): values lists 'view' twice"),
        bad(
            "a constraint that does not apply to the type",
            s -> field(s, "qty").put("pattern", "[0-9]+"),
            "fields[5] (qty): 'pattern' does not apply to a long field"),
        bad(
            "role naming a missing field",
            s -> object(s, "roles").put("user", "customer"),
            "roles.user names field 'customer', which is not among the fields " + fieldNames),
        bad(
            "required role missing",
            s -> object(s, "roles").remove("eventTime"),
            "roles.eventTime is missing: name the field that holds the event time"),
        bad(
            "unknown role",
            s -> object(s, "roles").put("session", "sku"),
            "roles: unknown key 'session'; known keys are eventId, eventTime, eventType, price, user"),
        bad(
            "one field in two roles",
            s -> object(s, "roles").put("eventId", "user_id"),
            "roles: field 'user_id' plays two roles; each role needs its own field"),
        bad(
            "role field not required",
            s -> field(s, "user_id").put("required", false),
            "field 'user_id' (roles.user) must be \"required\": true"),
        bad(
            "event time role on a string",
            s -> field(s, "at").put("type", "string").remove(List.of("format", "zone")),
            "field 'at' (roles.eventTime) has type string; this role needs timestamp"),
        bad(
            "price role on a string",
            s -> {
              object(s, "roles").put("price", "sku");
              field(s, "amount").remove("requiredFor");
            },
            "field 'sku' (roles.price) has type string; this role needs decimal or long"),
        bad(
            "event type role on a string",
            s -> object(s, "roles").put("eventType", "sku").put("eventId", "kind"),
            "fields[6] (sku): the eventType role needs an enum field listing the accepted values"),
        bad(
            "duplicate field name",
            s -> field(s, "sku").put("name", "qty"),
            "fields[6]: field name 'qty' is declared twice"),
        bad(
            "field name that is no column name",
            s -> field(s, "sku").put("name", "SKU code"),
            "fields[6]: field name 'SKU code' must be lower-case letters, digits and '_' (it becomes a Parquet and"
                + " PostgreSQL column name)"),
        bad(
            "field name in Tally's reserved prefix",
            s -> field(s, "sku").put("name", "tally_sku"),
            "fields[6]: field name 'tally_sku' starts with 'tally_', which Tally reserves for its own columns"),
        bad(
            "invalid regular expression",
            s -> field(s, "sku").put("pattern", "S[0-9"),
            "fields[6] (sku): pattern 'S[0-9' is not a valid regular expression: Unclosed character class"),
        bad(
            "min above max",
            s -> field(s, "qty").put("min", 100),
            "fields[5] (qty): min 100 is greater than max 99"),
        bad(
            "min that is not a number",
            s -> field(s, "qty").put("min", "one"),
            "fields[5] (qty): min must be a number, got \"one\""),
        bad(
            "scale above precision",
            s -> field(s, "amount").put("scale", 11),
            "fields[4] (amount): scale 11 is greater than precision 10"),
        bad(
            "timestamp pattern that is no pattern",
            s -> field(s, "at").put("format", "dd/MM/uuuu {HH}"),
            "fields[3] (at): " + timestampFormats
                + "pattern 'dd/MM/uuuu {HH}' in zone 'Europe/Paris' is not usable: Pattern includes reserved"
                + " character: '{'"),
        bad(
            "unknown zone",
            s -> field(s, "at").put("zone", "Europe/Pariss"),
            "fields[3] (at): " + timestampFormats
                + "pattern 'dd/MM/uuuu HH:mm:ss' in zone 'Europe/Pariss' is not usable: Unknown time-zone ID:"
                + " Europe/Pariss"),
        bad(
            "mapping a value the event-type field does not list",
            s -> object(s, "eventTypeMapping").put("checkout", "purchase"),
            "eventTypeMapping maps 'checkout', which is not one of the event-type field's values view, cart, buy"),
        bad(
            "requiredFor naming a source value instead of Tally's name",
            s -> field(s, "amount").set("requiredFor", texts("buy")),
            "fields[4] (amount): requiredFor names event type 'buy', which is not one of view, add_to_cart,"
                + " purchase"),
        bad(
            "requiredFor on a required field",
            s -> field(s, "amount").put("required", true),
            "fields[4] (amount): requiredFor is for optional fields; this field is already required"),
        bad(
            "requiredFor on another field than the price",
            s -> field(s, "sku").set("requiredFor", texts("purchase")),
            "fields[6] (sku): requiredFor is only supported on the price field"),
        bad(
            "generator event types naming an unknown value",
            s -> object(object(s, "generator"), "eventTypes").put("purchase", 1),
            "generator.eventTypes has 'purchase', which is not one of the event-type field's values view, cart, buy"),
        bad(
            "generator event-type weight of zero",
            s -> object(object(s, "generator"), "eventTypes").put("view", 0),
            "generator.eventTypes.view must be a number above 0, got 0"),
        bad(
            "generator user format the user field rejects",
            s -> object(s, "generator").put("userFormat", "user-%d"),
            "generator.userFormat 'user-%d' makes user values the user field rejects: user_id 'user-1' does not"
                + " match the pattern u[0-9]{3}"),
        bad(
            "generator user format that is no format",
            s -> object(s, "generator").put("userFormat", "u%q"),
            "generator.userFormat 'u%q' must be a Java format with one integer, like user-%05d"),
        bad(
            "generated values the enum does not allow",
            s -> field(s, "kind").putObject("generate").set("values", texts("view", "checkout")),
            "fields[2] (kind): generate.values has 'checkout', which is not one of the field's values"),
        bad(
            "no fields",
            s -> s.putArray("fields"),
            "'fields' must be a non-empty array of field objects"),
        bad(
            "no name",
            s -> s.remove("name"),
            "the top level: 'name' must be a non-empty text"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSchemas")
  void aBadSchemaIsRefusedWithAMessageNamingTheFieldAndTheProblem(
      String caseName, Consumer<ObjectNode> change, String message) throws IOException {
    ObjectNode schema = (ObjectNode) JSON.readTree(SHOP);
    change.accept(schema);
    String text = JSON.writeValueAsString(schema);

    SchemaException error = assertThrows(SchemaException.class, () -> read(text));

    assertEquals(SOURCE + ": " + message, error.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"dd/MM/uuuu", "dd/MM/yyyy HH:mm:ss", "HH:mm:ss", "dd/MM HH:mm"})
  void aTimestampPatternThatCannotReadBackWhatItWritesIsRefused(String pattern) throws IOException {
    ObjectNode schema = (ObjectNode) JSON.readTree(SHOP);
    field(schema, "at").put("format", pattern);
    String text = JSON.writeValueAsString(schema);

    SchemaException error = assertThrows(SchemaException.class, () -> read(text));

    // The middle is the JDK's own explanation; ours starts and ends it.
    assertTrue(
        error.getMessage().startsWith(SOURCE + ": fields[3] (at): format must be iso8601, epoch_millis,"
            + " epoch_seconds or a date-time pattern; pattern '" + pattern
            + "' does not read back the instants it writes ("),
        error.getMessage());
    assertTrue(
        error.getMessage().endsWith("); it needs year (uuuu, not yyyy), month, day, hour and minute"),
        error.getMessage());
  }

  @Test
  void aMinutePrecisionPatternIsUsable() throws Exception {
    ObjectNode schema = (ObjectNode) JSON.readTree(SHOP);
    field(schema, "at").put("format", "dd/MM/uuuu HH:mm").put("zone", "UTC");
    EventSchema read = read(JSON.writeValueAsString(schema));

    FieldSpec at = read.field(read.indexOf("at"));
    assertEquals(java.time.Instant.parse("2019-10-01T13:45:00Z"), at.instant("01/10/2019 13:45"));
  }

  @Test
  void aZoneOnAnEpochOrIsoTimestampIsRefusedAsMeaningless() throws Exception {
    ObjectNode schema = (ObjectNode) JSON.readTree(SHOP);
    field(schema, "at").put("format", "epoch_millis").put("zone", "Europe/Paris");
    String text = JSON.writeValueAsString(schema);

    SchemaException error = assertThrows(SchemaException.class, () -> read(text));
    assertEquals(SOURCE + ": fields[3] (at): 'zone' applies to date-time patterns only; epoch_millis values carry"
        + " their own", error.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"name: shop\nfields: []", "{\"name\": \"shop\","})
  void textThatIsNotJsonIsRefusedWithWhereItBroke(String text) {
    SchemaException error = assertThrows(SchemaException.class, () -> read(text));

    assertTrue(error.getMessage().startsWith(SOURCE + " is not valid JSON: "), error.getMessage());
    assertTrue(error.getMessage().matches("(?s).*\\(line [0-9]+, column [0-9]+\\)"), error.getMessage());
  }

  @Test
  void aKeyWrittenTwiceIsRefusedRatherThanOneSilentlyWinning() {
    SchemaException error =
        assertThrows(SchemaException.class, () -> read(SHOP.replace("\"name\": \"shop\",", "\"name\": \"shop\", \"name\": \"x\",")));

    assertTrue(
        error.getMessage().startsWith(SOURCE + " is not valid JSON: Duplicate field 'name'"), error.getMessage());
  }

  @Test
  void textAfterTheSchemaIsRefusedRatherThanIgnored() {
    // E.g. a schema pasted twice into one file: reading only the first would hide the mistake.
    SchemaException error = assertThrows(SchemaException.class, () -> read(SHOP + SHOP));

    assertTrue(error.getMessage().startsWith(SOURCE + " is not valid JSON: "), error.getMessage());
    assertTrue(error.getMessage().endsWith("(line 18, column 1)"), error.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1, 2]", "null", "\"shop\"", ""})
  void aJsonValueThatIsNotAnObjectIsRefused(String text) {
    SchemaException error = assertThrows(SchemaException.class, () -> read(text));

    assertEquals(
        SOURCE + ": the top level must be a JSON object with name, format, fields and roles", error.getMessage());
  }
}
