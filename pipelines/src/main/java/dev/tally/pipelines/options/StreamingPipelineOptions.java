package dev.tally.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * Options of {@link dev.tally.pipelines.StreamingPipeline}: the Kafka or hot-folder source, the event encoding, the
 * windows and PostgreSQL. Runner flags (--runner, --checkpointDir, --batchIntervalMillis) are the runner's own;
 * --streaming is always set.
 */
public interface StreamingPipelineOptions
    extends KafkaReadOptions, HotFolderOptions, EventFormatOptions, WindowOptions, JdbcOptions, StreamingOptions {
  @Description(
      "How long the PostgreSQL sink retries a failed transaction (PostgreSQL down or restarting) before the bundle"
          + " fails, as an ISO-8601 duration; waits between attempts double from 0.25 s up to 5 s.")
  @Default.String("PT5M")
  String getJdbcRetryTime();

  void setJdbcRetryTime(String value);
}
