package dev.tally.pipelines.options;

/** Options of {@link dev.tally.pipelines.BatchPipeline}, composed from the input, window, output, JDBC and report mixins. */
public interface BatchPipelineOptions
    extends EventInputOptions, WindowOptions, OutputOptions, JdbcOptions, ReportOptions {}
