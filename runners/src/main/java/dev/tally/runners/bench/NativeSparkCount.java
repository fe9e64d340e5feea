package dev.tally.runners.bench;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.struct;

import dev.tally.schema.EventSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark's native Spark job: the same counts as the pipeline with Spark's own DataFrame API. Spark's CSV
 * reader (a line with a wrong column count is a corrupt record), the schema's rules for required fields (SQL), event
 * type, event time and price (UDFs built on the schema's field checks), one record per event id and window (the
 * earliest), a count per window, user and type, written as Parquet in Tally's counts layout (windows as epoch
 * milliseconds).
 *
 * <p>Spark reads every file with the columns of the first file's header; blank means ASCII whitespace only here.
 */
@Command(name = "native-spark-count", mixinStandardHelpOptions = true, description = "The benchmark's native Spark job.")
public final class NativeSparkCount implements Callable<Integer> {
  private static final String CORRUPT = "_corrupt_record";

  @Option(names = "--input", required = true, paramLabel = "GLOB", description = "Local CSV files, default schema.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Writes DIR/counts/.")
  Path output;

  @Option(names = "--master", defaultValue = "local[2]", paramLabel = "URL", description = "Spark master (default: ${DEFAULT-VALUE}).")
  String master;

  public static void main(String[] args) {
    System.exit(new CommandLine(new NativeSparkCount()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    SparkSession spark = SparkSession.builder().master(master).appName("NativeSparkCount").getOrCreate();
    try {
      count(spark, input, output.resolve("counts"), CountingRules.hourlyDefault());
      System.out.println("counts written to " + output.resolve("counts"));
    } finally {
      spark.stop();
    }
    return 0;
  }

  /** Counts the local files matching {@code glob} into {@code counts} (which must not exist). */
  public static void count(SparkSession spark, String glob, Path counts, CountingRules rules) throws IOException {
    EventSchema schema = rules.schema();
    List<String> header = header(InputFiles.matching(glob).get(0), schema);
    StructType columns = new StructType();
    for (String name : header) {
      columns = columns.add(name, DataTypes.StringType, true);
    }
    columns = columns.add(CORRUPT, DataTypes.StringType, true);
    spark.udf().register("tally_event_type", (UDF1<String, String>) rules::eventType, DataTypes.StringType);
    spark.udf().register("tally_event_millis", (UDF1<String, Long>) rules::eventTimeMillis, DataTypes.LongType);
    spark.udf().register("tally_price_allowed", (UDF2<String, String, Boolean>) rules::priceAllowed, DataTypes.BooleanType);
    // A short line must stay a corrupt record: without pruning Spark tokenizes whole lines.
    spark.conf().set("spark.sql.csv.parser.columnPruning.enabled", "false");

    Dataset<Row> lines =
        spark.read()
            .schema(columns)
            .option("header", "true")
            .option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", CORRUPT)
            .option("sep", Character.toString(schema.format().delimiter()))
            .option("quote", Character.toString(schema.format().quote()))
            // RFC 4180: a quote inside a quoted value is doubled (Spark's default escape is a backslash).
            .option("escape", Character.toString(schema.format().quote()))
            .csv(Path.of(glob).toAbsolutePath().toUri().toString());

    Column valid = col(CORRUPT).isNull();
    for (String field : rules.requiredFields()) {
      valid = valid.and(col(field).isNotNull()).and(not(col(field).rlike("^\\s*$")));
    }
    String price = schema.priceIndex() >= 0 ? schema.field(schema.priceIndex()).name() : null;
    Dataset<Row> events =
        lines
            .filter(valid)
            .select(
                schema.hasEventId() ? col(schema.field(schema.eventIdIndex()).name()).as("event_id") : lit(null).as("event_id"),
                col(schema.field(schema.userIndex()).name()).as("user_id"),
                callUDF("tally_event_type", col(schema.field(schema.eventTypeIndex()).name())).as("event_type"),
                callUDF("tally_event_millis", col(schema.field(schema.eventTimeIndex()).name())).as("millis"),
                price != null ? col(price).as("price") : lit(null).cast(DataTypes.StringType).as("price"))
            .filter(col("event_type").isNotNull().and(col("millis").isNotNull()))
            .filter(callUDF("tally_price_allowed", col("price"), col("event_type")))
            .withColumn("window_start", col("millis").minus(pmod(col("millis"), lit(rules.windowMillis()))));
    Dataset<Row> unique =
        schema.hasEventId()
            ? events
                .groupBy("window_start", "event_id")
                // The earliest copy; ties by user, then type.
                .agg(min(struct(col("millis"), col("user_id"), col("event_type"))).as("kept"))
                .select(col("window_start"), col("kept.user_id").as("user_id"), col("kept.event_type").as("event_type"))
            : events;
    Dataset<Row> result =
        unique
            .groupBy("window_start", "user_id", "event_type")
            .count()
            .select(
                col("window_start"),
                col("window_start").plus(rules.windowMillis()).as("window_end"),
                col("user_id"),
                col("event_type"),
                col("count").as("event_count"));
    result.write().parquet(counts.toAbsolutePath().toUri().toString());
  }

  /** The column names of a file's header line. */
  private static List<String> header(Path file, EventSchema schema) throws IOException {
    CSVFormat csv =
        CSVFormat.DEFAULT.builder().setDelimiter(schema.format().delimiter()).setQuote(schema.format().quote()).build();
    try (BufferedReader reader = InputFiles.open(file);
        CSVParser parser = CSVParser.parse(reader.readLine(), csv)) {
      return parser.getRecords().get(0).toList();
    }
  }
}
