package dev.tally.generator;

import dev.tally.schema.FieldSpec;
import dev.tally.schema.FieldType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.SplittableRandom;

/**
 * The numbers a long or decimal field gets: a range narrowed to what the field accepts (its min and max, a
 * decimal's precision, a long's 64 bits), with a fixed number of decimal places, so every drawn value is valid.
 */
final class NumberRange {
  /** Generated decimals have at most cents; a field allowing fewer decimal places gets fewer. */
  static final int MAX_SCALE = 2;

  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private final BigDecimal low;
  private final BigDecimal high;
  private final int scale;
  /** high - low in units of the last decimal place. */
  private final BigInteger steps;

  private NumberRange(BigDecimal low, BigDecimal high, int scale) {
    this.low = low;
    this.high = high;
    this.scale = scale;
    this.steps = high.subtract(low).movePointRight(scale).toBigIntegerExact();
  }

  /**
   * The part of [low, high] that {@code field} accepts, at the field's scale capped at {@link #MAX_SCALE} (0 for
   * a long field).
   *
   * @param what names the range in the message when nothing is left, e.g. {@code generator.price}
   * @throws IllegalArgumentException when no value of the range is valid for the field
   */
  static NumberRange of(FieldSpec field, BigDecimal low, BigDecimal high, String what) {
    int scale = field.type() == FieldType.DECIMAL ? Math.min(field.scale(), MAX_SCALE) : 0;
    BigDecimal lowest = field.type() == FieldType.LONG ? LONG_MIN : largestDecimal(field).negate();
    BigDecimal highest = field.type() == FieldType.LONG ? LONG_MAX : largestDecimal(field);
    if (field.min() != null) {
      lowest = lowest.max(field.min());
    }
    if (field.max() != null) {
      highest = highest.min(field.max());
    }
    BigDecimal from = low.max(lowest).setScale(scale, RoundingMode.CEILING);
    BigDecimal to = high.min(highest).setScale(scale, RoundingMode.FLOOR);
    if (from.compareTo(to) > 0) {
      throw new IllegalArgumentException(
          what + " [" + low.toPlainString() + ", " + high.toPlainString() + "] has no value that field "
              + field.name() + " accepts (min " + plain(field.min()) + ", max " + plain(field.max())
              + (field.type() == FieldType.DECIMAL ? ", precision " + field.precision() + ", scale " + field.scale() : "")
              + ")");
    }
    return new NumberRange(from, to, scale);
  }

  /** The largest absolute value a decimal field accepts: precision - scale integer digits, then its decimals. */
  private static BigDecimal largestDecimal(FieldSpec field) {
    return BigDecimal.ONE.movePointRight(field.precision() - field.scale()).subtract(BigDecimal.ONE.movePointLeft(field.scale()));
  }

  private static String plain(BigDecimal value) {
    return value == null ? "none" : value.toPlainString();
  }

  BigDecimal low() {
    return low;
  }

  BigDecimal high() {
    return high;
  }

  /** The smallest step: 1, 0.1 or 0.01. */
  BigDecimal unit() {
    return BigDecimal.ONE.movePointLeft(scale);
  }

  /** Every step of the range equally likely. */
  BigDecimal uniform(SplittableRandom random) {
    BigInteger step;
    if (steps.bitLength() < 63) {
      step = BigInteger.valueOf(random.nextLong(steps.longValueExact() + 1));
    } else {
      // Wider than a long: a double's 53 bits of resolution are plenty for synthetic data.
      step = new BigDecimal(steps).multiply(BigDecimal.valueOf(random.nextDouble())).toBigInteger();
    }
    return low.add(new BigDecimal(step, scale));
  }

  /**
   * Log-uniform: as many values between 1 and 10 as between 100 and 1000, like real prices. A range starting at
   * 0 or below is drawn from its smallest positive step.
   */
  BigDecimal logUniform(SplittableRandom random) {
    BigDecimal positiveLow = low.max(unit());
    if (positiveLow.compareTo(high) >= 0) {
      return high;
    }
    double logLow = Math.log(positiveLow.doubleValue());
    double logHigh = Math.log(high.doubleValue());
    BigDecimal value =
        BigDecimal.valueOf(Math.exp(logLow + random.nextDouble() * (logHigh - logLow)))
            .setScale(scale, RoundingMode.HALF_UP);
    return value.max(low).min(high);
  }
}
