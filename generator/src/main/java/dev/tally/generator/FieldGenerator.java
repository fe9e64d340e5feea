package dev.tally.generator;

import dev.tally.schema.FieldGeneration;
import dev.tally.schema.FieldSpec;
import dev.tally.schema.FieldType;
import dev.tally.schema.InvalidValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Draws the text of one schema field that plays no role, from its {@code generate} hints and type: picked from
 * {@code generate.values} (with their weights), else a {@code generate.format} filled with a popular number,
 * else by type (an enum's or string's allowed values; {@code <field>-<n>} for other strings; a uniform number
 * in the field's range; a timestamp field holds the event time in its own format). Optional fields are present
 * with probability {@code generate.presence} (default 0.95).
 */
final class FieldGenerator {
  static final double DEFAULT_PRESENCE = 0.95;
  private static final BigDecimal DEFAULT_MIN = BigDecimal.ONE;
  private static final BigDecimal DEFAULT_MAX = BigDecimal.valueOf(1000);
  /** How many distinct {@code <field>-<n>} texts a string field without hints gets. */
  private static final int DEFAULT_TEXTS = 1000;

  private final FieldSpec field;
  private final double presence;
  private final List<String> choices;
  private final Distribution choice;
  private final String format;
  private final PopularNumbers numbers;
  private final NumberRange range;

  private FieldGenerator(
      FieldSpec field,
      double presence,
      List<String> choices,
      Distribution choice,
      String format,
      PopularNumbers numbers,
      NumberRange range) {
    this.field = field;
    this.presence = presence;
    this.choices = choices;
    this.choice = choice;
    this.format = format;
    this.numbers = numbers;
    this.range = range;
  }

  /**
   * @param catalog seeded stream for the popularity shuffles, drawn from at construction only
   * @throws IllegalArgumentException when the hints make values the field rejects (e.g. a pattern no default
   *     text matches): a record meant to be valid would be dead-lettered
   */
  static FieldGenerator of(FieldSpec field, SplittableRandom catalog) {
    FieldGeneration hints = field.generate();
    double presence = field.required() ? 1 : hints.presence() != null ? hints.presence() : DEFAULT_PRESENCE;
    FieldGenerator generator;
    if (hints.values() != null) {
      generator = choosing(field, presence, hints.values(), hints.weights());
    } else if (hints.format() != null) {
      generator = formatting(field, presence, hints.format(), hints.count(), hints.skew(), catalog);
    } else if (field.type() == FieldType.ENUM || (field.type() == FieldType.STRING && field.values() != null)) {
      generator = choosing(field, presence, field.values(), null);
    } else if (field.type() == FieldType.STRING) {
      int count = hints.count() > 0 ? hints.count() : DEFAULT_TEXTS;
      generator = formatting(field, presence, field.name() + "-%d", count, hints.skew(), catalog);
    } else if (field.type() == FieldType.LONG || field.type() == FieldType.DECIMAL) {
      generator = new FieldGenerator(field, presence, null, null, null, null, range(field));
    } else {
      generator = new FieldGenerator(field, presence, null, null, null, null, null);
    }
    generator.checkSamples();
    return generator;
  }

  private static FieldGenerator choosing(FieldSpec field, double presence, List<String> values, double[] weights) {
    Distribution choice = weights == null ? Distribution.uniform(values.size()) : Distribution.weighted(weights);
    return new FieldGenerator(field, presence, values, choice, null, null, null);
  }

  private static FieldGenerator formatting(
      FieldSpec field, double presence, String format, int count, double skew, SplittableRandom catalog) {
    return new FieldGenerator(field, presence, null, null, format, new PopularNumbers(count, skew, catalog), null);
  }

  /** [generate.min or field.min or 1, generate.max or field.max or 1000], within what the field accepts. */
  private static NumberRange range(FieldSpec field) {
    FieldGeneration hints = field.generate();
    BigDecimal low = hints.min() != null ? hints.min() : field.min();
    BigDecimal high = hints.max() != null ? hints.max() : field.max();
    if (low == null) {
      low = high == null || high.compareTo(DEFAULT_MIN) >= 0 ? DEFAULT_MIN : high.subtract(DEFAULT_MAX);
    }
    if (high == null) {
      high = low.compareTo(DEFAULT_MAX) < 0 ? DEFAULT_MAX : low.add(DEFAULT_MAX);
    }
    return NumberRange.of(field, low, high, "the generated range of field " + field.name());
  }

  /** Whether an optional field gets a value in this record; one draw for optional fields, none for required. */
  boolean present(SplittableRandom random) {
    return field.required() || random.nextDouble() < presence;
  }

  /** A valid text for the field; {@code eventTime} is what a timestamp field holds. */
  String draw(SplittableRandom random, Instant eventTime) {
    if (choices != null) {
      return choices.get(choice.pick(random));
    }
    if (format != null) {
      return String.format(Locale.ROOT, format, numbers.pick(random));
    }
    if (range != null) {
      return range.uniform(random).toPlainString();
    }
    return field.timestamp().format(eventTime);
  }

  /** The generator's texts at the edges of what it draws, checked against the field's rules. */
  private void checkSamples() {
    List<String> samples;
    if (choices != null) {
      samples = choices;
    } else if (format != null) {
      samples = List.of(String.format(Locale.ROOT, format, 1), String.format(Locale.ROOT, format, numbers.count()));
    } else if (range != null) {
      samples = List.of(range.low().toPlainString(), range.high().toPlainString());
    } else {
      return;
    }
    for (String sample : samples) {
      try {
        field.canonical(sample);
      } catch (InvalidValue e) {
        throw new IllegalArgumentException(
            "the generator cannot make valid values for field " + field.name() + " (" + e.getMessage()
                + "): give it a \"generate\" hint whose values the field accepts");
      }
    }
  }
}
