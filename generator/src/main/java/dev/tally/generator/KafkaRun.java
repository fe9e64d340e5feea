package dev.tally.generator;

import java.time.Duration;

/**
 * How a run to Kafka went.
 *
 * @param manifest its ground truth
 * @param elapsed from the first send until the broker had acknowledged every record
 */
public record KafkaRun(KafkaManifest manifest, Duration elapsed) {

  /** Records acknowledged per second of {@link #elapsed()}; 0 for an empty run. */
  public double achievedRate() {
    long nanos = elapsed.toNanos();
    return nanos == 0 ? 0 : manifest.totals().records() * 1e9 / nanos;
  }
}
