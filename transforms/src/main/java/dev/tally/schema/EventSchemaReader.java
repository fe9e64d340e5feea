package dev.tally.schema;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.model.InputFormat;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a schema file's JSON into an {@link EventSchema}, checking everything a pipeline would otherwise trip
 * over later. Every problem is a {@link SchemaException} naming the file, the field or key, and what to write
 * instead; unknown keys are rejected so that a typo is not silently ignored.
 */
final class EventSchemaReader {
  // Duplicate keys and text after the schema are errors: either would otherwise hide part of the file.
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  /** Field names become Parquet (Avro) and PostgreSQL column names: keep them plain. */
  private static final Pattern FIELD_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  /** Column names Tally adds to {@code user_events} itself. */
  static final String RESERVED_PREFIX = "tally_";

  private static final Set<String> TOP_KEYS =
      Set.of("name", "description", "format", "fields", "roles", "eventTypeMapping", "generator");
  private static final Set<String> FORMAT_KEYS = Set.of("type", "delimiter", "quote", "header");
  private static final Set<String> FIELD_KEYS =
      Set.of("name", "type", "required", "description", "values", "pattern", "min", "max", "precision", "scale",
          "format", "zone", "requiredFor", "generate");
  private static final Set<String> ROLE_KEYS = Set.of("eventId", "user", "eventType", "eventTime", "price");
  private static final Set<String> GENERATOR_KEYS = Set.of("users", "userSkew", "userFormat", "eventTypes", "price");
  private static final Set<String> PRICE_KEYS = Set.of("min", "max", "eventTypes");
  private static final Set<String> GENERATE_KEYS =
      Set.of("presence", "values", "weights", "format", "count", "skew", "min", "max");

  private final String source;

  private EventSchemaReader(String source) {
    this.source = source;
  }

  /** @param source what the text is, for messages, e.g. {@code schema file my.json} */
  static EventSchema read(String text, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SchemaException(source + " is not valid JSON: " + e.getOriginalMessage() + " (line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    }
    return new EventSchemaReader(source).schema(root);
  }

  private EventSchema schema(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw problem("the top level must be a JSON object with name, format, fields and roles");
    }
    checkKeys(root, TOP_KEYS, "the top level");
    String name = requiredText(root, "name", "the top level");
    if (!SCHEMA_NAME.matcher(name).matches()) {
      throw problem("name '" + name + "' must be 1 to 64 letters, digits, '_', '-' or '.'");
    }
    String description = optionalText(root, "description", "the top level", "");
    RecordFormat format = format(root.get("format"));

    JsonNode fieldNodes = root.get("fields");
    if (fieldNodes == null || !fieldNodes.isArray() || fieldNodes.isEmpty()) {
      throw problem("'fields' must be a non-empty array of field objects");
    }
    List<JsonNode> rawFields = new ArrayList<>();
    fieldNodes.forEach(rawFields::add);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < rawFields.size(); i++) {
      JsonNode node = rawFields.get(i);
      String where = "fields[" + i + "]";
      if (!node.isObject()) {
        throw problem(where + " must be an object like {\"name\": \"user_id\", \"type\": \"string\"}");
      }
      String fieldName = requiredText(node, "name", where);
      if (!FIELD_NAME.matcher(fieldName).matches()) {
        throw problem(where + ": field name '" + fieldName
            + "' must be lower-case letters, digits and '_' (it becomes a Parquet and PostgreSQL column name)");
      }
      if (fieldName.startsWith(RESERVED_PREFIX)) {
        throw problem(where + ": field name '" + fieldName + "' starts with '" + RESERVED_PREFIX
            + "', which Tally reserves for its own columns");
      }
      if (names.contains(fieldName)) {
        throw problem(where + ": field name '" + fieldName + "' is declared twice");
      }
      names.add(fieldName);
    }

    JsonNode roles = root.get("roles");
    if (roles == null || !roles.isObject()) {
      throw problem("'roles' must be an object naming the fields that play user, eventType and eventTime"
          + " (and optionally eventId and price)");
    }
    checkKeys(roles, ROLE_KEYS, "roles");
    int userIndex = role(roles, "user", names, true);
    int eventTypeIndex = role(roles, "eventType", names, true);
    int eventTimeIndex = role(roles, "eventTime", names, true);
    int eventIdIndex = role(roles, "eventId", names, false);
    int priceIndex = role(roles, "price", names, false);
    checkDistinctRoles(names, userIndex, eventTypeIndex, eventTimeIndex, eventIdIndex, priceIndex);

    // Event types first: requiredFor and the generator refer to Tally's names.
    JsonNode eventTypeNode = rawFields.get(eventTypeIndex);
    String eventTypeWhere = fieldWhere(eventTypeIndex, names);
    if (!"enum".equals(eventTypeNode.path("type").asText())) {
      throw problem(eventTypeWhere + ": the eventType role needs an enum field listing the accepted values");
    }
    List<String> sourceTypes = textList(eventTypeNode.get("values"), eventTypeWhere + ": values");
    Map<String, String> typeNames = eventTypeNames(root.get("eventTypeMapping"), sourceTypes);
    List<String> tallyTypes = new ArrayList<>(new java.util.LinkedHashSet<>(typeNames.values()));

    List<FieldSpec> fields = new ArrayList<>();
    for (int i = 0; i < rawFields.size(); i++) {
      fields.add(field(rawFields.get(i), fieldWhere(i, names), tallyTypes));
    }
    checkRoleField(fields, userIndex, "user", true, FieldType.STRING, FieldType.LONG, FieldType.ENUM);
    checkRoleField(fields, eventTypeIndex, "eventType", true, FieldType.ENUM);
    checkRoleField(fields, eventTimeIndex, "eventTime", true, FieldType.TIMESTAMP);
    if (eventIdIndex >= 0) {
      checkRoleField(fields, eventIdIndex, "eventId", true, FieldType.STRING, FieldType.LONG);
    }
    if (priceIndex >= 0) {
      checkRoleField(fields, priceIndex, "price", false, FieldType.DECIMAL, FieldType.LONG);
    }
    for (int i = 0; i < fields.size(); i++) {
      if (i != priceIndex && !fields.get(i).requiredFor().isEmpty()) {
        throw problem(fieldWhere(i, names) + ": requiredFor is only supported on the price field");
      }
    }

    GeneratorSpec generator = generator(root.get("generator"), fields.get(userIndex), sourceTypes, tallyTypes);
    return new EventSchema(name, description, format, fields, eventIdIndex, userIndex, eventTypeIndex,
        eventTimeIndex, priceIndex, typeNames, generator);
  }

  private RecordFormat format(JsonNode node) {
    if (node == null) {
      return RecordFormat.csv();
    }
    if (!node.isObject()) {
      throw problem("'format' must be an object like {\"type\": \"csv\", \"delimiter\": \",\", \"header\": true}");
    }
    checkKeys(node, FORMAT_KEYS, "format");
    String type = optionalText(node, "type", "format", "csv");
    InputFormat inputFormat;
    try {
      inputFormat = InputFormat.parse(type);
    } catch (IllegalArgumentException e) {
      throw problem("format.type '" + type + "' is unknown: use csv or jsonl");
    }
    char delimiter = singleChar(node, "delimiter", ',');
    char quote = singleChar(node, "quote", '"');
    if (delimiter == quote) {
      throw problem("format.delimiter and format.quote must differ");
    }
    JsonNode header = node.get("header");
    if (header != null && !header.isBoolean()) {
      throw problem("format.header must be true or false");
    }
    return new RecordFormat(inputFormat, delimiter, quote, header == null || header.asBoolean());
  }

  private char singleChar(JsonNode format, String key, char fallback) {
    String text = optionalText(format, key, "format", String.valueOf(fallback));
    if (text.length() != 1 || text.charAt(0) == '\n' || text.charAt(0) == '\r') {
      throw problem("format." + key + " must be exactly one character (not a line break), got '" + text + "'");
    }
    return text.charAt(0);
  }

  private FieldSpec field(JsonNode node, String where, List<String> tallyTypes) {
    checkKeys(node, FIELD_KEYS, where);
    String name = node.get("name").asText();
    String typeName = requiredText(node, "type", where);
    FieldType type;
    try {
      type = FieldType.valueOf(typeName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw problem(where + ": type '" + typeName + "' is unknown: use string, long, decimal, timestamp or enum");
    }
    JsonNode requiredNode = node.get("required");
    if (requiredNode != null && !requiredNode.isBoolean()) {
      throw problem(where + ": required must be true or false");
    }
    boolean required = requiredNode != null && requiredNode.asBoolean();

    onlyFor(node, where, type, "values", FieldType.STRING, FieldType.ENUM);
    onlyFor(node, where, type, "pattern", FieldType.STRING);
    onlyFor(node, where, type, "min", FieldType.LONG, FieldType.DECIMAL);
    onlyFor(node, where, type, "max", FieldType.LONG, FieldType.DECIMAL);
    onlyFor(node, where, type, "precision", FieldType.DECIMAL);
    onlyFor(node, where, type, "scale", FieldType.DECIMAL);
    onlyFor(node, where, type, "format", FieldType.TIMESTAMP);
    onlyFor(node, where, type, "zone", FieldType.TIMESTAMP);

    List<String> values = node.has("values") ? textList(node.get("values"), where + ": values") : null;
    if (type == FieldType.ENUM && values == null) {
      throw problem(where + ": an enum field needs \"values\": [...] listing the accepted texts");
    }
    Pattern pattern = null;
    if (node.has("pattern")) {
      String regex = requiredText(node, "pattern", where);
      try {
        pattern = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw problem(where + ": pattern '" + regex + "' is not a valid regular expression: " + e.getDescription());
      }
    }
    BigDecimal min = number(node, "min", where);
    BigDecimal max = number(node, "max", where);
    if (min != null && max != null && min.compareTo(max) > 0) {
      throw problem(where + ": min " + min.toPlainString() + " is greater than max " + max.toPlainString());
    }
    int precision = integer(node, "precision", where, FieldSpec.DEFAULT_PRECISION, 1, 38);
    int scale = integer(node, "scale", where, FieldSpec.DEFAULT_SCALE, 0, 38);
    if (scale > precision) {
      throw problem(where + ": scale " + scale + " is greater than precision " + precision);
    }
    TimestampFormat timestamp = type == FieldType.TIMESTAMP ? timestamp(node, where) : null;
    List<String> requiredFor =
        node.has("requiredFor") ? textList(node.get("requiredFor"), where + ": requiredFor") : List.of();
    if (!requiredFor.isEmpty() && required) {
      throw problem(where + ": requiredFor is for optional fields; this field is already required");
    }
    for (String typeName2 : requiredFor) {
      if (!tallyTypes.contains(typeName2)) {
        throw problem(where + ": requiredFor names event type '" + typeName2 + "', which is not one of "
            + String.join(", ", tallyTypes));
      }
    }
    FieldGeneration generate = generation(node.get("generate"), where, type, values);
    return new FieldSpec(name, type, required, values, pattern, min, max, precision, scale, timestamp,
        List.copyOf(requiredFor), generate);
  }

  private TimestampFormat timestamp(JsonNode node, String where) {
    String format = optionalText(node, "format", where, TimestampFormat.ISO);
    String zone = optionalText(node, "zone", where, "UTC");
    if (node.has("zone") && List.of(TimestampFormat.ISO, TimestampFormat.EPOCH_MILLIS, TimestampFormat.EPOCH_SECONDS)
        .contains(format)) {
      throw problem(where + ": 'zone' applies to date-time patterns only; " + format + " values carry their own");
    }
    switch (format) {
      case TimestampFormat.ISO:
        return TimestampFormat.iso();
      case TimestampFormat.EPOCH_MILLIS:
        return TimestampFormat.epochMillis();
      case TimestampFormat.EPOCH_SECONDS:
        return TimestampFormat.epochSeconds();
      default:
        try {
          return TimestampFormat.pattern(format, zone);
        } catch (IllegalArgumentException e) {
          throw problem(where + ": format must be iso8601, epoch_millis, epoch_seconds or a date-time pattern; "
              + e.getMessage());
        }
    }
  }

  private FieldGeneration generation(JsonNode node, String where, FieldType type, List<String> allowed) {
    if (node == null) {
      return FieldGeneration.none();
    }
    String here = where + ": generate";
    if (!node.isObject()) {
      throw problem(here + " must be an object");
    }
    checkKeys(node, GENERATE_KEYS, here);
    Double presence = null;
    if (node.has("presence")) {
      double share = node.get("presence").asDouble(-1);
      if (!node.get("presence").isNumber() || share < 0 || share > 1) {
        throw problem(here + ".presence must be a number from 0 to 1");
      }
      presence = share;
    }
    List<String> values = node.has("values") ? textList(node.get("values"), here + ".values") : null;
    if (values != null && allowed != null) {
      for (String value : values) {
        if (!allowed.contains(value)) {
          throw problem(here + ".values has '" + value + "', which is not one of the field's values");
        }
      }
    }
    double[] weights = null;
    if (node.has("weights")) {
      JsonNode weightNodes = node.get("weights");
      if (values == null || !weightNodes.isArray() || weightNodes.size() != values.size()) {
        throw problem(here + ".weights must be an array of numbers, one per entry of generate.values");
      }
      weights = new double[values.size()];
      for (int i = 0; i < weights.length; i++) {
        weights[i] = positive(weightNodes.get(i), here + ".weights[" + i + "]");
      }
    }
    String format = node.has("format") ? requiredText(node, "format", here) : null;
    int count = integer(node, "count", here, 1000, 1, Integer.MAX_VALUE);
    if (format != null) {
      try {
        String.format(Locale.ROOT, format, 1);
      } catch (java.util.IllegalFormatException e) {
        throw problem(here + ".format '" + format + "' must be a Java format with one integer, like prod-%05d");
      }
    }
    double skew = node.has("skew") ? nonNegative(node.get("skew"), here + ".skew") : 0;
    BigDecimal min = number(node, "min", here);
    BigDecimal max = number(node, "max", here);
    if (min != null && max != null && min.compareTo(max) > 0) {
      throw problem(here + ": min is greater than max");
    }
    return new FieldGeneration(presence, values, weights, format, count, skew, min, max);
  }

  private Map<String, String> eventTypeNames(JsonNode mapping, List<String> sourceTypes) {
    Map<String, String> names = new LinkedHashMap<>();
    for (String value : sourceTypes) {
      names.put(value, value);
    }
    if (mapping == null) {
      return names;
    }
    if (!mapping.isObject()) {
      throw problem("'eventTypeMapping' must be an object from source values to Tally names, like"
          + " {\"cart\": \"add_to_cart\"}");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = mapping.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!names.containsKey(entry.getKey())) {
        throw problem("eventTypeMapping maps '" + entry.getKey() + "', which is not one of the event-type field's"
            + " values " + String.join(", ", sourceTypes));
      }
      if (!entry.getValue().isTextual() || entry.getValue().asText().isBlank()) {
        throw problem("eventTypeMapping." + entry.getKey() + " must be a non-empty text");
      }
      names.put(entry.getKey(), entry.getValue().asText());
    }
    return names;
  }

  private GeneratorSpec generator(JsonNode node, FieldSpec user, List<String> sourceTypes, List<String> tallyTypes) {
    String defaultUserFormat = user.type() == FieldType.LONG ? "%d" : "user-%05d";
    Map<String, Double> mix = new LinkedHashMap<>();
    if (node == null) {
      sourceTypes.forEach(type -> mix.put(type, 1.0));
      return new GeneratorSpec(500, 0.8, defaultUserFormat, mix, new BigDecimal("1.00"), new BigDecimal("500.00"),
          List.of());
    }
    if (!node.isObject()) {
      throw problem("'generator' must be an object");
    }
    checkKeys(node, GENERATOR_KEYS, "generator");
    int users = integer(node, "users", "generator", 500, 1, 100_000_000);
    double skew = node.has("userSkew") ? nonNegative(node.get("userSkew"), "generator.userSkew") : 0.8;
    String userFormat = optionalText(node, "userFormat", "generator", defaultUserFormat);
    String sample;
    try {
      sample = String.format(Locale.ROOT, userFormat, 1);
    } catch (java.util.IllegalFormatException e) {
      throw problem("generator.userFormat '" + userFormat + "' must be a Java format with one integer, like"
          + " user-%05d");
    }
    try {
      user.canonical(sample);
    } catch (InvalidValue e) {
      throw problem("generator.userFormat '" + userFormat + "' makes user values the user field rejects: "
          + e.getMessage());
    }
    JsonNode types = node.get("eventTypes");
    if (types == null) {
      sourceTypes.forEach(type -> mix.put(type, 1.0));
    } else {
      if (!types.isObject() || types.isEmpty()) {
        throw problem("generator.eventTypes must be an object from event-type values to weights, like"
            + " {\"view\": 80, \"purchase\": 2}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = types.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (!sourceTypes.contains(entry.getKey())) {
          throw problem("generator.eventTypes has '" + entry.getKey() + "', which is not one of the event-type"
              + " field's values " + String.join(", ", sourceTypes));
        }
        mix.put(entry.getKey(), positive(entry.getValue(), "generator.eventTypes." + entry.getKey()));
      }
    }
    BigDecimal priceMin = new BigDecimal("1.00");
    BigDecimal priceMax = new BigDecimal("500.00");
    List<String> priced = List.of();
    JsonNode price = node.get("price");
    if (price != null) {
      if (!price.isObject()) {
        throw problem("generator.price must be an object like {\"min\": 1, \"max\": 500}");
      }
      checkKeys(price, PRICE_KEYS, "generator.price");
      priceMin = orDefault(number(price, "min", "generator.price"), priceMin);
      priceMax = orDefault(number(price, "max", "generator.price"), priceMax);
      if (priceMin.signum() < 0 || priceMin.compareTo(priceMax) > 0) {
        throw problem("generator.price needs 0 <= min <= max");
      }
      if (price.has("eventTypes")) {
        priced = textList(price.get("eventTypes"), "generator.price.eventTypes");
        for (String type : priced) {
          if (!tallyTypes.contains(type)) {
            throw problem("generator.price.eventTypes names '" + type + "', which is not one of Tally's event"
                + " types " + String.join(", ", tallyTypes));
          }
        }
      }
    }
    return new GeneratorSpec(users, skew, userFormat, mix, priceMin, priceMax, priced);
  }

  private int role(JsonNode roles, String role, List<String> names, boolean required) {
    JsonNode node = roles.get(role);
    if (node == null || node.isNull()) {
      if (required) {
        throw problem("roles." + role + " is missing: name the field that holds the " + roleMeaning(role));
      }
      return -1;
    }
    if (!node.isTextual()) {
      throw problem("roles." + role + " must be a field name");
    }
    int index = names.indexOf(node.asText());
    if (index < 0) {
      throw problem("roles." + role + " names field '" + node.asText() + "', which is not among the fields "
          + String.join(", ", names));
    }
    return index;
  }

  private static String roleMeaning(String role) {
    switch (role) {
      case "user":
        return "user id";
      case "eventType":
        return "event type";
      default:
        return "event time";
    }
  }

  private void checkDistinctRoles(List<String> names, int... indexes) {
    for (int i = 0; i < indexes.length; i++) {
      for (int j = i + 1; j < indexes.length; j++) {
        if (indexes[i] >= 0 && indexes[i] == indexes[j]) {
          throw problem("roles: field '" + names.get(indexes[i]) + "' plays two roles; each role needs its own field");
        }
      }
    }
  }

  private void checkRoleField(
      List<FieldSpec> fields, int index, String role, boolean mustBeRequired, FieldType... types) {
    FieldSpec field = fields.get(index);
    if (!List.of(types).contains(field.type())) {
      List<String> names = new ArrayList<>();
      for (FieldType type : types) {
        names.add(type.code());
      }
      throw problem("field '" + field.name() + "' (roles." + role + ") has type " + field.type().code()
          + "; this role needs " + String.join(" or ", names));
    }
    if (mustBeRequired && !field.required()) {
      throw problem("field '" + field.name() + "' (roles." + role + ") must be \"required\": true");
    }
  }

  private void onlyFor(JsonNode node, String where, FieldType type, String key, FieldType... types) {
    if (node.has(key) && !List.of(types).contains(type)) {
      throw problem(where + ": '" + key + "' does not apply to a " + type.code() + " field");
    }
  }

  private void checkKeys(JsonNode node, Set<String> known, String where) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw problem(where + ": unknown key '" + key + "'; known keys are " + String.join(", ", new java.util.TreeSet<>(known)));
      }
    }
  }

  private String requiredText(JsonNode node, String key, String where) {
    JsonNode value = node.get(key);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw problem(where + ": '" + key + "' must be a non-empty text");
    }
    return value.asText();
  }

  private String optionalText(JsonNode node, String key, String where, String fallback) {
    return node.has(key) ? requiredText(node, key, where) : fallback;
  }

  private List<String> textList(JsonNode node, String where) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw problem(where + " must be a non-empty array of texts");
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual() || item.asText().isEmpty()) {
        throw problem(where + " must hold only non-empty texts, found " + item);
      }
      if (texts.contains(item.asText())) {
        throw problem(where + " lists '" + item.asText() + "' twice");
      }
      texts.add(item.asText());
    }
    return List.copyOf(texts);
  }

  private BigDecimal number(JsonNode node, String key, String where) {
    JsonNode value = node.get(key);
    if (value == null) {
      return null;
    }
    try {
      // Numbers or numeric texts: "19.99" keeps its digits exactly.
      return new BigDecimal(value.asText());
    } catch (NumberFormatException e) {
      throw problem(where + ": " + key + " must be a number, got " + value);
    }
  }

  private int integer(JsonNode node, String key, String where, int fallback, int low, int high) {
    JsonNode value = node.get(key);
    if (value == null) {
      return fallback;
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < low || value.asInt() > high) {
      throw problem(where + ": " + key + " must be a whole number from " + low + " to " + high + ", got " + value);
    }
    return value.asInt();
  }

  private double positive(JsonNode value, String where) {
    if (value == null || !value.isNumber() || !(value.asDouble() > 0) || Double.isInfinite(value.asDouble())) {
      throw problem(where + " must be a number above 0, got " + value);
    }
    return value.asDouble();
  }

  private double nonNegative(JsonNode value, String where) {
    if (!value.isNumber() || !(value.asDouble() >= 0) || Double.isInfinite(value.asDouble())) {
      throw problem(where + " must be a number of 0 or more, got " + value);
    }
    return value.asDouble();
  }

  private static BigDecimal orDefault(BigDecimal value, BigDecimal fallback) {
    return value == null ? fallback : value;
  }

  private static String fieldWhere(int index, List<String> names) {
    return "fields[" + index + "] (" + names.get(index) + ")";
  }

  private SchemaException problem(String message) {
    return new SchemaException(source + ": " + message);
  }
}
