package dev.tally.schema;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The schema's {@code "generator"} section: value distributions for synthetic data. Command-line flags (e.g.
 * {@code --users}) override them.
 *
 * @param users distinct users
 * @param userSkew Zipf exponent of user activity (0: every user equally active)
 * @param userFormat {@link String#format} pattern turning a user number into the user field's text
 * @param eventTypes relative weight of each source event-type value (as written in files)
 * @param priceMin lowest generated price (price role only)
 * @param priceMax highest generated price
 * @param pricedEventTypes Tally event types that carry a price; empty: all
 */
public record GeneratorSpec(
    int users,
    double userSkew,
    String userFormat,
    Map<String, Double> eventTypes,
    BigDecimal priceMin,
    BigDecimal priceMax,
    List<String> pricedEventTypes)
    implements Serializable {}
