package dev.tally.schema;

import dev.tally.model.InputFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an input looks like and how Tally reads it: the record format, the typed fields, which field plays each
 * role (event id, user, event type, event time, price), how source event-type values map to Tally's names, and
 * the generator's value distributions. One schema drives the generator, parsing, validation, the Parquet
 * layout of {@code events/} and the columns of {@code user_events}. Loaded from JSON by {@link EventSchemaReader};
 * the shipped schemas are resources under {@code dev/tally/schemas/}.
 */
public final class EventSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The schema used when none is given: Tally's own user-activity model. */
  public static final String DEFAULT_NAME = "default";
  /** The schemas shipped with Tally, usable by name in {@code --schema}. */
  public static final List<String> BUILT_IN = List.of("default", "db-actions", "card-transactions", "rees46", "retailrocket");

  private static final String RESOURCE_FOLDER = "/dev/tally/schemas/";

  private final String name;
  private final String description;
  private final RecordFormat format;
  private final List<FieldSpec> fields;
  private final int eventIdIndex;
  private final int userIndex;
  private final int eventTypeIndex;
  private final int eventTimeIndex;
  private final int priceIndex;
  private final Map<String, String> eventTypeNames;
  private final GeneratorSpec generator;

  EventSchema(
      String name,
      String description,
      RecordFormat format,
      List<FieldSpec> fields,
      int eventIdIndex,
      int userIndex,
      int eventTypeIndex,
      int eventTimeIndex,
      int priceIndex,
      Map<String, String> eventTypeNames,
      GeneratorSpec generator) {
    this.name = name;
    this.description = description;
    this.format = format;
    this.fields = List.copyOf(fields);
    this.eventIdIndex = eventIdIndex;
    this.userIndex = userIndex;
    this.eventTypeIndex = eventTypeIndex;
    this.eventTimeIndex = eventTimeIndex;
    this.priceIndex = priceIndex;
    this.eventTypeNames = Collections.unmodifiableMap(new LinkedHashMap<>(eventTypeNames));
    this.generator = generator;
  }

  /** Tally's user-activity model (the shipped {@code default.json}). */
  public static EventSchema defaultSchema() {
    return builtIn(DEFAULT_NAME);
  }

  /** A shipped schema by name, e.g. {@code rees46}. */
  public static EventSchema builtIn(String name) {
    if (!BUILT_IN.contains(name)) {
      throw new SchemaException(
          "There is no built-in schema '" + name + "': use one of " + String.join(", ", BUILT_IN)
              + " or the path of a schema file");
    }
    String resource = RESOURCE_FOLDER + name + ".json";
    try (InputStream in = EventSchema.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("built-in schema " + resource + " is missing from the jar");
      }
      return EventSchemaReader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in schema " + name);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read built-in schema " + resource, e);
    }
  }

  /**
   * The schema a {@code --schema} value names: a built-in name, or the path of a JSON schema file. Null or
   * empty: the default schema. Throws {@link SchemaException} with a message naming the file and the problem.
   */
  public static EventSchema load(String nameOrPath) {
    if (nameOrPath == null || nameOrPath.isBlank()) {
      return defaultSchema();
    }
    if (BUILT_IN.contains(nameOrPath)) {
      return builtIn(nameOrPath);
    }
    Path path = Path.of(nameOrPath);
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new SchemaException(
          "Schema file " + nameOrPath + " does not exist: pass the path of a JSON schema file or one of the built-in"
              + " schemas " + String.join(", ", BUILT_IN));
    } catch (IOException e) {
      throw new SchemaException("Cannot read schema file " + nameOrPath + ": " + e.getMessage());
    }
    return EventSchemaReader.read(text, "schema file " + nameOrPath);
  }

  /** The same schema reading another encoding (CSV options kept), for {@code --format}. */
  public EventSchema withFormat(InputFormat type) {
    if (type == null || type == format.type()) {
      return this;
    }
    return new EventSchema(name, description, format.withType(type), fields, eventIdIndex, userIndex,
        eventTypeIndex, eventTimeIndex, priceIndex, eventTypeNames, generator);
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public RecordFormat format() {
    return format;
  }

  /** Every field, in the schema's order: the CSV column order when there is no header, and the output order. */
  public List<FieldSpec> fields() {
    return fields;
  }

  public int fieldCount() {
    return fields.size();
  }

  public FieldSpec field(int index) {
    return fields.get(index);
  }

  /** The index of the field with this name, or -1. */
  public int indexOf(String fieldName) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(fieldName)) {
        return i;
      }
    }
    return -1;
  }

  public boolean hasEventId() {
    return eventIdIndex >= 0;
  }

  /** The event-id field's index, or -1 when the schema has none (then nothing is de-duplicated). */
  public int eventIdIndex() {
    return eventIdIndex;
  }

  public int userIndex() {
    return userIndex;
  }

  public int eventTypeIndex() {
    return eventTypeIndex;
  }

  public int eventTimeIndex() {
    return eventTimeIndex;
  }

  /** The price field's index, or -1 when the schema has none. */
  public int priceIndex() {
    return priceIndex;
  }

  /** Source event-type value (as written in files) to Tally's name, in the schema's order. */
  public Map<String, String> eventTypeNames() {
    return eventTypeNames;
  }

  /** Tally's event-type names, each once, in the schema's order. */
  public List<String> eventTypes() {
    List<String> names = new ArrayList<>();
    for (String tallyName : eventTypeNames.values()) {
      if (!names.contains(tallyName)) {
        names.add(tallyName);
      }
    }
    return names;
  }

  public GeneratorSpec generator() {
    return generator;
  }

  /** The header line a CSV file of this schema starts with: the field names, with the schema's delimiter. */
  public String csvHeader() {
    StringBuilder header = new StringBuilder();
    for (FieldSpec field : fields) {
      if (header.length() > 0) {
        header.append(format.delimiter());
      }
      header.append(field.name());
    }
    return header.toString();
  }

  @Override
  public String toString() {
    return "EventSchema[" + name + "]";
  }
}
