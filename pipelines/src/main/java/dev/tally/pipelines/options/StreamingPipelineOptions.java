package dev.tally.pipelines.options;

import org.apache.beam.sdk.options.StreamingOptions;

/**
 * Options of {@link dev.tally.pipelines.StreamingPipeline}: the Kafka or hot-folder source, the event encoding, the
 * windows and PostgreSQL. Runner flags (--runner, --checkpointDir, --batchIntervalMillis) are the runner's own;
 * --streaming is always set.
 */
public interface StreamingPipelineOptions
    extends KafkaReadOptions, HotFolderOptions, EventFormatOptions, WindowOptions, JdbcOptions, StreamingOptions {}
