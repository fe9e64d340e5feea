package dev.tally.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;

/** Event-time windows of the counts. Durations are ISO-8601, e.g. PT1H, PT15M, P1D. */
public interface WindowOptions extends PipelineOptions {
  @Description("Length of each count window (ISO-8601 duration). Default: PT1M when streaming, else PT1H.")
  @Default.InstanceFactory(WindowSizeFactory.class)
  String getWindowSize();

  void setWindowSize(String value);

  @Description("Start a sliding window this often (ISO-8601 duration, at most windowSize). Unset: fixed windows.")
  String getWindowPeriod();

  void setWindowPeriod(String value);

  @Description("How long after a window's end late events still update its count (ISO-8601 duration).")
  @Default.String("PT0S")
  String getAllowedLateness();

  void setAllowedLateness(String value);

  /** Minute windows for a live stream (results while they matter), hour windows for a batch of history. */
  class WindowSizeFactory implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      return options.as(StreamingOptions.class).isStreaming() ? "PT1M" : "PT1H";
    }
  }
}
