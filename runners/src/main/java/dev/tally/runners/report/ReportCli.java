package dev.tally.runners.report;

import dev.tally.pipelines.UserError;
import dev.tally.pipelines.report.OutputFolderSource;
import dev.tally.pipelines.report.PostgresSource;
import dev.tally.pipelines.report.Report;
import dev.tally.pipelines.report.ReportData;
import dev.tally.pipelines.report.ReportFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./tally report}: one self-contained HTML page (charts as inline SVG) plus the user x event type table as
 * CSV, from a batch output folder or from PostgreSQL.
 */
@Command(
    name = "tally report",
    mixinStandardHelpOptions = true,
    version = "tally report 0.1.0",
    usageHelpAutoWidth = true,
    description = {
      "Writes DIR/" + Report.HTML_FILE + " (events per event type over time, top users, users x event types, dead"
          + " letters by reason with examples, the run summary; viewable offline) and DIR/" + Report.CSV_FILE + ".",
      "Examples: ./tally report --input=out/big --output=out/big-report",
      "          ./tally report --jdbcUrl=jdbc:postgresql://127.0.0.1:5432/tally"
          + " --jdbcPasswordFile=data/stack/postgres/password --output=out/db-report",
    })
public final class ReportCli implements Callable<Integer> {
  static final String NAME = "tally report";

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Local folder for the report (created if missing; an earlier report there is replaced).")
  Path output;

  @Option(
      names = "--input",
      paramLabel = "FOLDER",
      description = "A batch output folder (the --output of ./tally batch): local, or hdfs://HOST:PORT/path.")
  String input;

  @Mixin JdbcFlags jdbc;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(CliErrors.execute(NAME, new ReportCli(), args));
  }

  @Override
  public Integer call() {
    if ((input == null) == (jdbc.url == null)) {
      throw new ParameterException(
          spec.commandLine(),
          "give exactly one source: --input=FOLDER (a batch output folder) or --jdbcUrl=URL (PostgreSQL)");
    }
    ReportData data = input != null ? readFolder(input) : PostgresSource.read(jdbc.target().orElseThrow());
    ReportFiles files = Report.write(data, output);
    System.out.printf(
        "%s events of %d users, %s dead letters, from %s%n",
        String.format("%,d", data.totalEvents()), data.eventsPerUser().size(),
        String.format("%,d", data.totalDeadLetters()), data.source());
    System.out.println("Report: " + files.html());
    System.out.println("Table:  " + files.csv());
    return 0;
  }

  private static ReportData readFolder(String folder) {
    try {
      return OutputFolderSource.read(folder);
    } catch (IOException e) {
      throw new UserError(
          "cannot read --input=" + folder + ": " + e.getMessage()
              + (folder.startsWith("hdfs://") ? " (is HDFS running? ./tally stack up hdfs)" : ""),
          e);
    }
  }
}
