package dev.tally.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The HTML report a batch run can write when it has finished. */
public interface ReportOptions extends PipelineOptions {
  @Description(
      "Local folder to write an HTML report (report.html, charts inline) and user-event-types.csv into when the"
          + " run has finished, from its output folder. Unset: no report.")
  String getReport();

  void setReport(String value);
}
