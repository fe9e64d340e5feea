package dev.tally.pipelines.options;

/** Options of {@link dev.tally.pipelines.BatchPipeline}, composed from the input, window, output and JDBC mixins. */
public interface BatchPipelineOptions extends EventInputOptions, WindowOptions, OutputOptions, JdbcOptions {}
