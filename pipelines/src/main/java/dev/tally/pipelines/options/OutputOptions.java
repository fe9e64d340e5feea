package dev.tally.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Where a batch run writes its results. */
public interface OutputOptions extends PipelineOptions {
  @Description("Output folder; gets counts/, events/, dead-letters/ and _SUMMARY.json. Must not hold a run.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);
}
