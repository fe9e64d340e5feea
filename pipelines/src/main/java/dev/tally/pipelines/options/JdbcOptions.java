package dev.tally.pipelines.options;

import java.util.UUID;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The optional PostgreSQL sink. There is deliberately no password flag: flags show in {@code ps}, shell
 * history and the serialised PipelineOptions, so the password comes from the environment variable
 * {@code TALLY_JDBC_PASSWORD} or from the file named by {@code --jdbcPasswordFile}.
 */
public interface JdbcOptions extends PipelineOptions {
  /** The environment variable holding the PostgreSQL password. */
  String PASSWORD_ENVIRONMENT_VARIABLE = "TALLY_JDBC_PASSWORD";

  @Description(
      "PostgreSQL to also write counts, events, dead letters and run metadata to, e.g. "
          + "jdbc:postgresql://127.0.0.1:5432/tally (add ?currentSchema=NAME for another schema). Unset: no "
          + "database output. The password comes from TALLY_JDBC_PASSWORD or --jdbcPasswordFile, never the URL.")
  String getJdbcUrl();

  void setJdbcUrl(String value);

  @Description("PostgreSQL user.")
  @Default.String("tally")
  String getJdbcUser();

  void setJdbcUser(String value);

  @Description(
      "File holding the PostgreSQL password (a trailing line break is ignored). Wins over TALLY_JDBC_PASSWORD.")
  String getJdbcPasswordFile();

  void setJdbcPasswordFile(String value);

  @Description("Rows per JDBC batch (one round trip to PostgreSQL).")
  @Default.Integer(1000)
  int getJdbcBatchSize();

  void setJdbcBatchSize(int value);

  @Description("Identifies this run in pipeline_runs and dead_letters. Default: a new random UUID.")
  @Default.InstanceFactory(RandomRunId.class)
  String getRunId();

  void setRunId(String value);

  /** A fresh random UUID per run. */
  class RandomRunId implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      return UUID.randomUUID().toString();
    }
  }
}
