package dev.tally.pipelines.options;

import org.apache.beam.sdk.options.StreamingOptions;

/**
 * Options of {@link dev.tally.pipelines.StreamingPipeline}: the Kafka source, the event encoding, the windows and
 * PostgreSQL. Runner flags (--runner, --streaming, --checkpointDir, --batchIntervalMillis) are the runner's own.
 */
public interface StreamingPipelineOptions
    extends KafkaReadOptions, EventFormatOptions, WindowOptions, JdbcOptions, StreamingOptions {}
