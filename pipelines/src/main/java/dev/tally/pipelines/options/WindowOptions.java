package dev.tally.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Event-time windows of the counts. Durations are ISO-8601, e.g. PT1H, PT15M, P1D. */
public interface WindowOptions extends PipelineOptions {
  @Description("Length of each count window (ISO-8601 duration).")
  @Default.String("PT1H")
  String getWindowSize();

  void setWindowSize(String value);

  @Description("Start a sliding window this often (ISO-8601 duration, at most windowSize). Unset: fixed windows.")
  String getWindowPeriod();

  void setWindowPeriod(String value);

  @Description("How long after a window's end late events still update its count (ISO-8601 duration).")
  @Default.String("PT0S")
  String getAllowedLateness();

  void setAllowedLateness(String value);
}
