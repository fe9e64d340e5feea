package dev.tally.pipelines.options;

/** Options of {@link dev.tally.pipelines.BatchPipeline}, composed from the input, window and output mixins. */
public interface BatchPipelineOptions extends EventInputOptions, WindowOptions, OutputOptions {}
