package dev.tally.runners.stack;

import dev.tally.pipelines.options.JdbcOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The streaming pipeline's flags for {@code ./tally submit --pipeline=stream}: the defaults {@code ./tally stream}
 * uses, pointed at the local stack, each added only when its flag is not given (Beam refuses a flag given twice).
 *
 * <p>The checkpoint folder is a local one in the stack's folder: on this single-machine cluster the driver and the
 * executors share the file system. A cluster spread over several machines needs a folder all of them reach, e.g.
 * {@code --checkpointDir=hdfs://127.0.0.1:8020/tally/stream-checkpoint} with the stack's HDFS up. It is not chosen
 * automatically when HDFS runs, since a run that found HDFS down would then silently start from a new checkpoint.
 */
public final class StreamingJobFlags {
  public static final String MAIN_CLASS = "dev.tally.pipelines.StreamingPipeline";
  /** The best of 500/1000/2000 ms in the probes; as ./tally stream. */
  public static final int BATCH_INTERVAL_MILLIS = 1000;

  private StreamingJobFlags() {}

  /**
   * {@code given} preceded by the defaults it lacks: {@code --streaming=true}, {@code --batchIntervalMillis=1000},
   * {@code --checkpointDir=<stack dir>/stream-checkpoint}, the stack's Kafka as {@code --bootstrapServers}, its
   * PostgreSQL as {@code --jdbcUrl}, and, unless {@code TALLY_JDBC_PASSWORD} is set, its password file as
   * {@code --jdbcPasswordFile} (a path: the password itself never appears in a command line).
   */
  public static List<String> withStackDefaults(List<String> given, LocalStack stack, Map<String, String> environment) {
    List<String> flags = new ArrayList<>();
    addUnlessGiven(flags, given, "streaming", "true");
    addUnlessGiven(flags, given, "batchIntervalMillis", Integer.toString(BATCH_INTERVAL_MILLIS));
    addUnlessGiven(flags, given, "checkpointDir", checkpointDir(stack.settings()));
    addUnlessGiven(flags, given, "bootstrapServers", stack.kafka().bootstrapServers());
    if (!isGiven(given, "jdbcUrl")) {
      flags.add("--jdbcUrl=" + stack.postgres().jdbcUrl());
    }
    String password = environment.get(JdbcOptions.PASSWORD_ENVIRONMENT_VARIABLE);
    if (password == null || password.isEmpty()) {
      addUnlessGiven(flags, given, "jdbcPasswordFile", stack.postgres().passwordFile().toString());
    }
    flags.addAll(given);
    return flags;
  }

  /** {@code <stack dir>/stream-checkpoint}, absolute: executors run in the Worker's folder. */
  public static String checkpointDir(StackSettings settings) {
    return settings.dir().toAbsolutePath().resolve("stream-checkpoint").toString();
  }

  private static void addUnlessGiven(List<String> flags, List<String> given, String name, String value) {
    if (!isGiven(given, name)) {
      flags.add("--" + name + "=" + value);
    }
  }

  /** {@code --name} or {@code --name=...} among {@code given}. */
  static boolean isGiven(List<String> given, String name) {
    return given.stream().anyMatch(flag -> flag.equals("--" + name) || flag.startsWith("--" + name + "="));
  }
}
