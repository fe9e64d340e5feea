package dev.tally.runners.report;

import dev.tally.pipelines.UserError;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import dev.tally.pipelines.options.JdbcOptions;
import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Option;

/**
 * The pipelines' PostgreSQL flags for the report and dashboard commands, read exactly as the batch job reads them:
 * the password from {@code --jdbcPasswordFile} or {@code TALLY_JDBC_PASSWORD}, never from a flag.
 */
final class JdbcFlags {
  @Option(
      names = "--jdbcUrl",
      paramLabel = "URL",
      description = "PostgreSQL holding Tally's tables, e.g. jdbc:postgresql://127.0.0.1:5432/tally (add"
          + " ?currentSchema=NAME for another schema).")
  String url;

  @Option(names = "--jdbcUser", paramLabel = "USER", defaultValue = "tally", description = "PostgreSQL user (default: ${DEFAULT-VALUE}).")
  String user;

  @Option(
      names = "--jdbcPasswordFile",
      paramLabel = "FILE",
      description = "File holding the password; else the environment variable "
          + JdbcOptions.PASSWORD_ENVIRONMENT_VARIABLE + ".")
  String passwordFile;

  /** The database named by the flags, or empty without {@code --jdbcUrl}; checked as the pipelines check it. */
  Optional<PostgresTarget> target() {
    // PostgresTarget reads the pipelines' options interface: fill one in rather than repeat its checks here.
    JdbcOptions options = PipelineOptionsFactory.as(JdbcOptions.class);
    options.setJdbcUrl(url);
    options.setJdbcUser(user);
    options.setJdbcPasswordFile(passwordFile);
    return PostgresTarget.fromOptions(options);
  }

  /**
   * Refuses a {@code --jdbcPassword} flag before the parser sees it, as its "unknown option" message would echo
   * the secret.
   */
  static void refusePasswordFlag(String[] args) {
    for (String arg : args) {
      if (arg.equals("--jdbcPassword") || arg.startsWith("--jdbcPassword=")) {
        throw new UserError(
            "there is no --jdbcPassword flag (command lines show in ps and shell history): set "
                + JdbcOptions.PASSWORD_ENVIRONMENT_VARIABLE + " or --jdbcPasswordFile=<file holding the password>");
      }
    }
  }
}
