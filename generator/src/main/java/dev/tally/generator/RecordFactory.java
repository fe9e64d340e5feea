package dev.tally.generator;

import dev.tally.model.ReasonCode;
import dev.tally.schema.EventSchema;
import dev.tally.schema.FieldSpec;
import dev.tally.schema.FieldType;
import dev.tally.schema.GeneratorSpec;
import dev.tally.schema.InvalidValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Makes the record at each position of a {@link Plan} from the config's schema: the roles' values (a Zipf-popular
 * user, an event type from the schema's mix, the planned event time in the field's format, the event id, a
 * log-uniform price), every other field from its {@code generate} hints, the one defect of an invalid record,
 * and the line. Not thread-safe (it reuses a CSV printer).
 */
final class RecordFactory {
  private static final long SALT_CATALOG = 0x434154414c4f4755L;

  private final Plan plan;
  private final EventSchema schema;
  private final LineWriter lines;
  private final Defects defects;

  private final FieldSpec userField;
  private final String userFormat;
  private final PopularNumbers users;
  private final List<String> sourceTypes;
  private final Distribution typeMix;
  private final FieldSpec timeField;
  private final boolean longEventId;

  /** Null when the schema has no price field. */
  private final NumberRange prices;
  private final List<String> pricedTypes;
  private final double pricePresence;

  /** One per field; null for the fields that play a role. */
  private final FieldGenerator[] others;

  /** The user text of the most recent draft (see {@link #lastDraftedUserId}). */
  private String lastDraftedUser;

  /** Null: the plan's event times; else valid records take their event time from it (epoch ms). */
  private LongSupplier liveClock;

  /**
   * @throws IllegalArgumentException when the schema's generator hints make values its own rules reject (the
   *     message names the field)
   */
  RecordFactory(Plan plan) {
    this.plan = plan;
    this.schema = plan.config.schema();
    this.lines = new LineWriter(schema);
    this.defects = new Defects(schema);
    GeneratorSpec spec = schema.generator();
    SplittableRandom catalog = new SplittableRandom(Plan.mix64(plan.config.seed() ^ SALT_CATALOG));

    this.userField = schema.field(schema.userIndex());
    this.userFormat = spec.userFormat();
    this.users = new PopularNumbers(plan.config.users(), spec.userSkew(), catalog);
    this.sourceTypes = new ArrayList<>(spec.eventTypes().keySet());
    this.typeMix = Distribution.weighted(spec.eventTypes().values().stream().mapToDouble(Double::doubleValue).toArray());
    this.timeField = schema.field(schema.eventTimeIndex());
    this.longEventId = schema.hasEventId() && schema.field(schema.eventIdIndex()).type() == FieldType.LONG;

    if (schema.priceIndex() >= 0) {
      FieldSpec price = schema.field(schema.priceIndex());
      this.prices = NumberRange.of(price, spec.priceMin(), spec.priceMax(), "generator.price");
      this.pricedTypes = spec.pricedEventTypes();
      this.pricePresence =
          price.generate().presence() != null ? price.generate().presence() : FieldGenerator.DEFAULT_PRESENCE;
    } else {
      this.prices = null;
      this.pricedTypes = List.of();
      this.pricePresence = 0;
    }

    this.others = new FieldGenerator[schema.fieldCount()];
    for (int i = 0; i < others.length; i++) {
      if (!isRole(i)) {
        others[i] = FieldGenerator.of(schema.field(i), catalog);
      }
    }
    checkRoleSamples();
  }

  private boolean isRole(int index) {
    return index == schema.userIndex()
        || index == schema.eventTypeIndex()
        || index == schema.eventTimeIndex()
        || index == schema.eventIdIndex()
        || index == schema.priceIndex();
  }

  /**
   * From now on, valid (in-order) records get the time this clock gives when they are made instead of the plan's
   * (epoch milliseconds): a live stream whose event time is the moment of sending, for latency measurements.
   */
  RecordFactory withLiveEventTime(LongSupplier clock) {
    this.liveClock = clock;
    return this;
  }

  /** The line a file starts with, or null. */
  String header() {
    return lines.header();
  }

  /** The record at a position, going to line {@code lineNumber} of {@code file}. */
  GeneratedRecord record(int position, String file, long lineNumber) {
    SplittableRandom random = plan.random(position);
    RecordKind kind = plan.kind(position);
    switch (kind) {
      case VALID:
        long timeMs = liveClock != null ? liveClock.getAsLong() : plan.baseTimeMs(position);
        return valid(kind, draft(position, random, timeMs, null), file, lineNumber);
      case LATE:
        return valid(kind, draft(position, random, plan.lateTimeMs(position, random), null), file, lineNumber);
      case DUPLICATE:
        GeneratedRecord original = record(plan.duplicateSource(position, random), file, lineNumber);
        return new GeneratedRecord(
            original.line(),
            RecordKind.DUPLICATE,
            null,
            file,
            lineNumber,
            original.eventId(),
            original.userId(),
            original.eventType(),
            original.eventTime(),
            original.price());
      case INVALID:
        ReasonCode reason = plan.reason(position);
        return new GeneratedRecord(
            invalidLine(position, random, reason), kind, reason, file, lineNumber, null, null, null, null, null);
      default:
        throw new AssertionError(kind);
    }
  }

  /**
   * The user id (canonical text) the last record made by {@link #record} was drafted with. For an invalid record
   * the ground truth has none (the pipeline outputs none), but its line carries this user unless its defect is the
   * user itself.
   */
  String lastDraftedUserId() {
    return canonical(userField, lastDraftedUser);
  }

  private GeneratedRecord valid(RecordKind kind, Draft draft, String file, long lineNumber) {
    return new GeneratedRecord(
        lines.line(draft.values),
        kind,
        null,
        file,
        lineNumber,
        schema.hasEventId() ? draft.values[schema.eventIdIndex()] : null,
        canonical(userField, draft.values[schema.userIndex()]),
        draft.type,
        draft.time,
        draft.price);
  }

  /** A valid event's field texts; {@code forcedType} (a source value) overrides the drawn type when not null. */
  private Draft draft(int position, SplittableRandom random, long timeMs, String forcedType) {
    Draft draft = new Draft(schema.fieldCount());
    String[] values = draft.values;
    values[schema.userIndex()] = userText(users.pick(random));
    lastDraftedUser = values[schema.userIndex()];
    String drawnType = sourceTypes.get(typeMix.pick(random));
    String sourceType = forcedType != null ? forcedType : drawnType;
    values[schema.eventTypeIndex()] = sourceType;
    draft.type = schema.eventTypeNames().get(sourceType);

    Instant plannedTime = Instant.ofEpochMilli(timeMs);
    String timeText = timeField.timestamp().format(plannedTime);
    values[schema.eventTimeIndex()] = timeText;
    // What the pipeline reads back: whole seconds for some formats, and a local time in a DST overlap resolves to
    // the earlier offset.
    draft.time = timeField.timestamp().parse(timeText);
    if (schema.hasEventId()) {
      values[schema.eventIdIndex()] = eventIdText(position);
    }
    if (prices != null && hasPrice(draft.type, random)) {
      draft.price = prices.logUniform(random);
      values[schema.priceIndex()] = draft.price.toPlainString();
    }
    for (int i = 0; i < others.length; i++) {
      if (others[i] != null && others[i].present(random)) {
        values[i] = others[i].draw(random, plannedTime);
      }
    }
    return draft;
  }

  /** Always for the types that need a price; never for types outside generator.price.eventTypes; else usually. */
  private boolean hasPrice(String type, SplittableRandom random) {
    FieldSpec price = schema.field(schema.priceIndex());
    if (price.required() || price.requiredFor().contains(type)) {
      return true;
    }
    if (!pricedTypes.isEmpty() && !pricedTypes.contains(type)) {
      return false;
    }
    return random.nextDouble() < pricePresence;
  }

  /** A record with exactly one defect: the one {@code reason} names. */
  private String invalidLine(int position, SplittableRandom random, ReasonCode reason) {
    long timeMs = plan.baseTimeMs(position);
    Draft draft;
    switch (reason) {
      case MALFORMED_RECORD:
        return lines.malformed(draft(position, random, timeMs, null).values, random);
      case MISSING_REQUIRED_FIELD:
        draft = draft(position, random, timeMs, null);
        draft.values[schema.userIndex()] = defects.blankUser(random, lines.isJson());
        return lines.line(draft.values);
      case UNKNOWN_EVENT_TYPE:
        draft = draft(position, random, timeMs, null);
        draft.values[schema.eventTypeIndex()] = defects.unknownEventType(random);
        return lines.line(draft.values);
      case INVALID_TIMESTAMP:
        draft = draft(position, random, timeMs, null);
        draft.values[schema.eventTimeIndex()] = defects.badEventTime(Instant.ofEpochMilli(timeMs), random);
        return lines.line(draft.values);
      case INVALID_NUMBER:
        draft = draft(position, random, timeMs, null);
        draft.values[defects.numberField()] = defects.badNumber(random);
        return lines.line(draft.values);
      case NEGATIVE_PRICE:
        draft = draft(position, random, timeMs, null);
        draft.values[schema.priceIndex()] = prices.logUniform(random).max(prices.unit()).negate().toPlainString();
        return lines.line(draft.values);
      case PURCHASE_WITHOUT_PRICE:
        draft = draft(position, random, timeMs, defects.typeNeedingPrice(random));
        draft.values[schema.priceIndex()] = null;
        return lines.line(draft.values);
      default:
        throw new AssertionError("not an injected reason: " + reason);
    }
  }

  private String userText(int user) {
    return String.format(Locale.ROOT, userFormat, user);
  }

  /** {@code evt-<16 hex digits>}, or for a long event-id field a distinct non-negative number. */
  private String eventIdText(int position) {
    return longEventId ? Long.toString(plan.eventNumber(position)) : plan.eventId(position);
  }

  /** The texts of the first and last user and of an event id, checked against their fields' rules. */
  private void checkRoleSamples() {
    canonical(userField, userText(1));
    canonical(userField, userText(users.count()));
    if (schema.hasEventId()) {
      canonical(schema.field(schema.eventIdIndex()), eventIdText(0));
    }
  }

  private static String canonical(FieldSpec field, String text) {
    try {
      return field.canonical(text);
    } catch (InvalidValue e) {
      throw new IllegalArgumentException(
          "the generator cannot make valid values for field " + field.name() + " (" + e.getMessage() + ")");
    }
  }

  /** An event's field texts (null: absent) with the ground truth behind them. */
  private static final class Draft {
    final String[] values;
    /** Tally's name. */
    String type;
    Instant time;
    BigDecimal price;

    Draft(int fieldCount) {
      values = new String[fieldCount];
    }
  }
}
