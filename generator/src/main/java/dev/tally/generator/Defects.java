package dev.tally.generator;

import dev.tally.model.ReasonCode;
import dev.tally.schema.EventSchema;
import dev.tally.schema.FieldSpec;
import dev.tally.schema.FieldType;
import dev.tally.schema.InvalidValue;
import dev.tally.schema.TimestampFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The defects a schema's records can carry, one per invalid record, and the bad texts that make them. Each bad
 * text breaks exactly one rule, and only the rule its reason names: the validator checks a missing required
 * field first, then the event type, the event time, the other fields in schema order and last a missing price,
 * and every other value of a defective record stays valid.
 */
final class Defects {
  private static final String[] UNKNOWN_TYPES = {"teleport", "page_view", "checkout"};
  private static final String[] BAD_NUMBERS = {"12.3.4", "abc", "1,99", "$9.99", "9.99999", "12.5"};
  private static final String[] BAD_TIMES = {"not-a-time", "2026-11-23 25:99"};
  private static final DateTimeFormatter SPACE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ZONELESS_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final EventSchema schema;
  private final List<ReasonCode> reasons;
  private final List<String> unknownTypes;
  /** The field an invalid number goes in (the price when there is one), or -1. */
  private final int numberField;
  private final List<String> badNumbers;
  /** Source event-type values whose Tally type needs a price. */
  private final List<String> typesNeedingPrice;

  Defects(EventSchema schema) {
    this.schema = schema;
    this.numberField = numberField(schema);
    this.badNumbers = numberField < 0 ? List.of() : badNumbers(schema.field(numberField));
    this.typesNeedingPrice = new ArrayList<>();
    if (schema.priceIndex() >= 0) {
      List<String> requiredFor = schema.field(schema.priceIndex()).requiredFor();
      schema.eventTypeNames().forEach((source, tally) -> {
        if (requiredFor.contains(tally)) {
          typesNeedingPrice.add(source);
        }
      });
    }
    this.unknownTypes = unknownTypes(schema.eventTypeNames().keySet());
    this.reasons = possibleReasons();
  }

  /** The reasons this schema's invalid records are given. */
  List<ReasonCode> reasons() {
    return reasons;
  }

  // Every schema has a user, an event type and an event time; numbers and prices depend on the fields.
  private List<ReasonCode> possibleReasons() {
    List<ReasonCode> possible = new ArrayList<>();
    possible.add(ReasonCode.MALFORMED_RECORD);
    possible.add(ReasonCode.MISSING_REQUIRED_FIELD);
    possible.add(ReasonCode.UNKNOWN_EVENT_TYPE);
    possible.add(ReasonCode.INVALID_TIMESTAMP);
    if (!badNumbers.isEmpty()) {
      possible.add(ReasonCode.INVALID_NUMBER);
    }
    if (negativePricePossible()) {
      possible.add(ReasonCode.NEGATIVE_PRICE);
    }
    if (!typesNeedingPrice.isEmpty()) {
      possible.add(ReasonCode.PURCHASE_WITHOUT_PRICE);
    }
    return List.copyOf(possible);
  }

  /**
   * A negative decimal price is rejected as negative before its range is checked; a long price is checked
   * against its min first, so only a long price without a min can be negative and nothing else.
   */
  private boolean negativePricePossible() {
    if (schema.priceIndex() < 0) {
      return false;
    }
    FieldSpec price = schema.field(schema.priceIndex());
    return price.type() == FieldType.DECIMAL || price.min() == null;
  }

  /** A blank user: empty, a space, or (JSON Lines only) left out. */
  String blankUser(SplittableRandom random, boolean json) {
    int variant = random.nextInt(json ? 3 : 2);
    return variant == 0 ? "" : variant == 1 ? " " : null;
  }

  /** A non-blank text that is none of the event-type field's values (a near miss in case, or another word). */
  String unknownEventType(SplittableRandom random) {
    return unknownTypes.get(random.nextInt(unknownTypes.size()));
  }

  /** A non-blank text the event-time field's format rejects, near the time it replaces. */
  String badEventTime(Instant time, SplittableRandom random) {
    FieldSpec field = schema.field(schema.eventTimeIndex());
    List<String> candidates = new ArrayList<>(List.of(BAD_TIMES));
    candidates.add(field.timestamp().format(time) + "x");
    candidates.add(TimestampFormat.iso().format(time));
    candidates.add(SPACE_TIME.format(time));
    candidates.add(ZONELESS_TIME.format(time));
    candidates.add(Long.toString(time.toEpochMilli()));
    List<String> rejected = new ArrayList<>();
    for (String candidate : candidates) {
      if (rejectedAs(field, candidate, ReasonCode.INVALID_TIMESTAMP)) {
        rejected.add(candidate);
      }
    }
    return rejected.get(random.nextInt(rejected.size()));
  }

  /** The field {@link #badNumber} goes in. */
  int numberField() {
    return numberField;
  }

  /** A non-blank text that {@link #numberField()} rejects as not a number it can hold. */
  String badNumber(SplittableRandom random) {
    return badNumbers.get(random.nextInt(badNumbers.size()));
  }

  /** A source event-type value whose records need a price. */
  String typeNeedingPrice(SplittableRandom random) {
    return typesNeedingPrice.get(random.nextInt(typesNeedingPrice.size()));
  }

  /** The price field; else the first long or decimal field playing no role; else any long or decimal field. */
  private static int numberField(EventSchema schema) {
    if (schema.priceIndex() >= 0) {
      return schema.priceIndex();
    }
    int any = -1;
    for (int i = 0; i < schema.fieldCount(); i++) {
      FieldType type = schema.field(i).type();
      if (type != FieldType.LONG && type != FieldType.DECIMAL) {
        continue;
      }
      if (i != schema.userIndex() && i != schema.eventIdIndex()) {
        return i;
      }
      if (any < 0) {
        any = i;
      }
    }
    return any;
  }

  private static List<String> badNumbers(FieldSpec field) {
    List<String> bad = new ArrayList<>();
    for (String candidate : BAD_NUMBERS) {
      if (rejectedAs(field, candidate, ReasonCode.INVALID_NUMBER)) {
        bad.add(candidate);
      }
    }
    return List.copyOf(bad);
  }

  private static List<String> unknownTypes(Set<String> known) {
    Set<String> candidates = new LinkedHashSet<>(List.of(UNKNOWN_TYPES));
    for (String value : known) {
      candidates.add(value.toUpperCase(Locale.ROOT));
      candidates.add(value.toLowerCase(Locale.ROOT));
      candidates.add(value.substring(0, 1).toUpperCase(Locale.ROOT) + value.substring(1).toLowerCase(Locale.ROOT));
    }
    candidates.removeAll(known);
    candidates.removeIf(String::isBlank);
    return List.copyOf(candidates);
  }

  private static boolean rejectedAs(FieldSpec field, String text, ReasonCode reason) {
    try {
      field.canonical(text);
      return false;
    } catch (InvalidValue e) {
      return e.reason() == reason;
    }
  }
}
