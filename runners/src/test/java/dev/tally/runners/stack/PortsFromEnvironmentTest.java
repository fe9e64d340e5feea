package dev.tally.runners.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code TALLY_*_PORT} move the stack's ports for every command: checked through {@code ./tally stack up} in a child
 * JVM (the environment of this one cannot change), against a port this test holds, so no service ever starts.
 */
class PortsFromEnvironmentTest {
  @TempDir Path dir;

  @Test
  void aTakenPortFromTheEnvironmentIsNamedWithItsVariable() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName(StackSettings.HOST), 0));
      int port = taken.getLocalPort();
      Result result = stackUp(Map.of(StackSettings.SPARK_PORT_ENV, Integer.toString(port)));
      assertEquals(1, result.exitCode(), result.output());
      assertTrue(result.output().contains("port " + port + " (Spark master) is in use by another program"), result.output());
      assertTrue(result.output().contains("TALLY_SPARK_PORT=PORT"), result.output());
    }
  }

  @Test
  void aVariableThatIsNoPortIsAUsageError() throws Exception {
    Result result = stackUp(Map.of(StackSettings.HDFS_UI_PORT_ENV, "98x"));
    assertEquals(2, result.exitCode(), result.output());
    assertEquals("tally stack: TALLY_HDFS_UI_PORT must be a port number, got '98x'", result.output().strip());
  }

  private record Result(int exitCode, String output) {}

  private Result stackUp(Map<String, String> environment) throws IOException, InterruptedException {
    StackSettings settings = TestStacks.onFreePorts(dir).build();
    List<String> command = new ArrayList<>(List.of(settings.javaExecutable().toString(), "-Xmx128m", "-cp",
        settings.daemonClasspath(), "-D" + StackSettings.HOME_PROPERTY + "=" + settings.home(),
        StackCli.class.getName(), "up", "spark", "--dir=" + dir));
    Path output = dir.resolve("output.txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("tally stack up did not exit");
    }
    return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }
}
