package dev.tally.pipelines;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tally.model.ReasonCode;
import dev.tally.transforms.TallyMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * What a batch run did, from the transforms' Beam counters: written as {@code _SUMMARY.json} beside the
 * outputs. {@code read = valid + duplicates + dead_letters} holds for every complete run.
 *
 * <p>{@code runId} names the run in PostgreSQL's {@code pipeline_runs} and {@code dead_letters};
 * {@code postgresUrl} is the {@code --jdbcUrl} written to (it never holds a password), or null when the run
 * wrote no database tables.
 */
// invariant_holds is derived: written for readers, ignored when read back.
@JsonIgnoreProperties(value = "invariant_holds", allowGetters = true)
public record RunSummary(
    String runId,
    String input,
    String output,
    String runner,
    String postgresUrl,
    long read,
    long valid,
    long duplicates,
    long deadLetters,
    Map<String, Long> deadLettersByReason,
    long countRows,
    Instant startedAt,
    Instant finishedAt,
    long durationMs) {

  public static final String FILE_NAME = "_SUMMARY.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /** Reads Tally's counters (summed over steps) from a finished run. */
  public static RunSummary of(
      String runId,
      String input,
      String output,
      String runner,
      String postgresUrl,
      MetricResults metrics,
      Instant startedAt,
      Instant finishedAt) {
    MetricQueryResults results =
        metrics.queryMetrics(
            MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(TallyMetrics.NAMESPACE)).build());
    Map<String, Long> counters = new HashMap<>();
    for (MetricResult<Long> counter : results.getCounters()) {
      // Spark reports attempted values only; a successful batch run attempts each bundle's work once.
      counters.merge(counter.getName().getName(), counter.getAttempted(), Long::sum);
    }
    Map<String, Long> byReason = new LinkedHashMap<>();
    for (ReasonCode reason : ReasonCode.values()) {
      byReason.put(reason.code(), counters.getOrDefault(TallyMetrics.deadLettersFor(reason), 0L));
    }
    return new RunSummary(
        runId,
        input,
        output,
        runner,
        postgresUrl,
        counters.getOrDefault(TallyMetrics.READ, 0L),
        counters.getOrDefault(TallyMetrics.VALID, 0L),
        counters.getOrDefault(TallyMetrics.DUPLICATES, 0L),
        counters.getOrDefault(TallyMetrics.DEAD_LETTERS, 0L),
        byReason,
        counters.getOrDefault(TallyMetrics.COUNT_ROWS, 0L),
        startedAt,
        finishedAt,
        Duration.between(startedAt, finishedAt).toMillis());
  }

  @JsonProperty("invariant_holds")
  public boolean invariantHolds() {
    return read == valid + duplicates + deadLetters;
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the run summary", e);
    }
  }

  public static RunSummary fromJson(String json) throws IOException {
    return JSON.readValue(json, RunSummary.class);
  }

  /** Writes {@code _SUMMARY.json} into the output folder, on any Beam file system. */
  public void writeTo(String outputDirectory) throws IOException {
    ResourceId file =
        FileSystems.matchNewResource(outputDirectory, true)
            .resolve(FILE_NAME, StandardResolveOptions.RESOLVE_FILE);
    byte[] json = (toJson() + "\n").getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, "application/json"))) {
      out.write(json);
    }
  }

  /** A few lines for the terminal. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    text.append(String.format(
        "read %,d = valid %,d + duplicates %,d + dead letters %,d (%s)%n",
        read, valid, duplicates, deadLetters, invariantHolds() ? "holds" : "DOES NOT HOLD"));
    deadLettersByReason.forEach(
        (reason, count) -> {
          if (count > 0) {
            text.append(String.format("  %-24s %,d%n", reason, count));
          }
        });
    text.append(String.format(
        "%,d count rows; runner %s; run %s; %.1f s%n", countRows, runner, runId, durationMs / 1000.0));
    return text.toString();
  }
}
