package dev.tally.schema;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;

/**
 * Hints for the generator on one field (its {@code "generate"} object); all optional. The pipeline ignores them.
 *
 * @param presence share of records where an optional field has a value (default 0.95); required fields always do
 * @param values texts to pick from, with {@code weights} (same length) or uniformly
 * @param weights relative weights of {@code values}, or null for uniform
 * @param format a {@link String#format} pattern with one integer, e.g. {@code prod-%05d}, filled with 1..count
 * @param count how many distinct integers {@code format} is filled with
 * @param skew Zipf exponent of the integers' popularity (0: uniform)
 * @param min lowest generated number for long and decimal fields (default: the field's min, else 1)
 * @param max highest generated number (default: the field's max, else 1000)
 */
public record FieldGeneration(
    Double presence,
    List<String> values,
    double[] weights,
    String format,
    int count,
    double skew,
    BigDecimal min,
    BigDecimal max)
    implements Serializable {

  public static FieldGeneration none() {
    return new FieldGeneration(null, null, null, null, 0, 0, null, null);
  }
}
