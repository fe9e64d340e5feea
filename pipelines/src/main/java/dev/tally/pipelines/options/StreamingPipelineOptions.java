package dev.tally.pipelines.options;

/**
 * Options of {@link dev.tally.pipelines.StreamingPipeline}: the Kafka or hot-folder source, the event encoding, the windows and
 * PostgreSQL. Runner flags (--runner, --streaming, --checkpointDir, --batchIntervalMillis) are the runner's own.
 */
public interface StreamingPipelineOptions
    extends KafkaReadOptions, HotFolderOptions, EventFormatOptions, WindowOptions, JdbcOptions {}
