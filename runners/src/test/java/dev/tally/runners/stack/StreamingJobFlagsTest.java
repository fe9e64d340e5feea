package dev.tally.runners.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flags ./tally submit --pipeline=stream adds: each default only when its flag is not given. */
class StreamingJobFlagsTest {
  @TempDir Path dir;

  @Test
  void addsEveryDefaultThatIsNotGivenBeforeTheGivenFlags() {
    LocalStack stack = stack();
    List<String> flags = StreamingJobFlags.withStackDefaults(List.of("--windowSize=PT1M"), stack, Map.of());
    assertEquals(
        List.of(
            "--streaming=true",
            "--batchIntervalMillis=1000",
            "--checkpointDir=" + dir.toAbsolutePath().resolve("stream-checkpoint"),
            "--bootstrapServers=127.0.0.1:" + stack.settings().kafkaPort(),
            "--jdbcUrl=" + stack.postgres().jdbcUrl(),
            "--jdbcPasswordFile=" + dir.resolve("postgres/password"),
            "--windowSize=PT1M"),
        flags);
  }

  @Test
  void keepsWhatIsGivenAndNeverRepeatsAFlag() {
    List<String> given = List.of(
        "--streaming", "--batchIntervalMillis=2000", "--checkpointDir=hdfs://127.0.0.1:8020/c",
        "--bootstrapServers=kafka:9092", "--jdbcUrl=jdbc:postgresql://db:5432/tally", "--jdbcPasswordFile=/secret");
    assertEquals(given, StreamingJobFlags.withStackDefaults(given, stack(), Map.of()));
  }

  @Test
  void aPasswordInTheEnvironmentReplacesTheStacksPasswordFile() {
    List<String> flags = StreamingJobFlags.withStackDefaults(
        List.of("--jdbcUrl=jdbc:postgresql://db:5432/tally"), stack(), Map.of("TALLY_JDBC_PASSWORD", "from-env"));
    assertEquals(
        List.of("--streaming=true", "--batchIntervalMillis=1000",
            "--checkpointDir=" + dir.toAbsolutePath().resolve("stream-checkpoint"),
            "--bootstrapServers=127.0.0.1:" + stack().settings().kafkaPort(), "--jdbcUrl=jdbc:postgresql://db:5432/tally"),
        flags);
  }

  /** A stack in the test's folder, on free ports, with nothing running: the settings' addresses apply. */
  private LocalStack stack() {
    StackSettings settings = TestStacks.onFreePorts(dir).kafkaPort(39092).build();
    return new LocalStack(settings, new PrintStream(new ByteArrayOutputStream()));
  }
}
