package dev.tally.pipelines.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.generator.EventGenerator;
import dev.tally.generator.GeneratorConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL password given only through {@code TALLY_JDBC_PASSWORD} appears nowhere a user or another
 * process can see it: the batch pipeline on Spark local[2] runs in a JVM of its own as a fresh role with a random
 * password, with the Spark UI and event log enabled; while it runs, the UI's pages and REST API are fetched, and
 * afterwards every file under the run's folder (input, Parquet, dead letters, _SUMMARY.json, the HTML report,
 * Spark's event log, local and temporary dirs) and the JVM's whole stdout/stderr are searched, as is its
 * {@code /proc/PID/cmdline}. The run must have logged in with that password (its pipeline_runs row is DONE).
 */
@Tag("integration")
class PasswordLeakTest {
  private static final Pattern APPLICATION_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  private static final List<String> UI_PAGES =
      List.of("/jobs/", "/stages/", "/storage/", "/environment/", "/executors/");
  private static final List<String> REST_PAGES =
      List.of("/environment", "/executors", "/allexecutors", "/jobs", "/stages");

  @TempDir Path dir;
  private Process pipeline;

  /** A failed assertion must not leave the pipeline JVM running. */
  @AfterEach
  void stopPipeline() throws InterruptedException {
    if (pipeline != null && pipeline.isAlive()) {
      pipeline.destroyForcibly().waitFor();
    }
  }

  @Test
  void thePasswordIsInNoLogUiPageProcessArgumentOrFile() throws Exception {
    try (PipelineRoleDatabase db = PipelineRoleDatabase.create()) {
      String password = db.rolePassword;
      EventGenerator.generate(
          GeneratorConfig.builder().events(20_000).users(200).files(4).seed(5).outputDir(dir.resolve("in")).build());
      Path tmp = Files.createDirectories(dir.resolve("tmp"));
      Path eventLog = Files.createDirectories(dir.resolve("spark-events"));
      Path log = dir.resolve("pipeline.log");
      int uiPort = freePort();
      List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx1g"));
      command.addAll(sparkJvmFlags());
      command.addAll(List.of(
          "-Djava.io.tmpdir=" + tmp, "-Dspark.local.dir=" + tmp, "-Dspark.ui.enabled=true",
          "-Dspark.ui.port=" + uiPort, "-Dspark.eventLog.enabled=true", "-Dspark.eventLog.dir=" + eventLog.toUri(),
          "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
          "dev.tally.pipelines.BatchPipeline", "--runner=SparkRunner", "--sparkMaster=local[2]",
          "--input=" + dir.resolve("in") + "/events-*", "--output=" + dir.resolve("out"),
          "--report=" + dir.resolve("report"), "--jdbcUrl=" + db.url(), "--jdbcUser=" + db.role));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("TALLY_JDBC_PASSWORD", password);
      builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
      pipeline = builder.start();

      String cmdline = Files.readString(Path.of("/proc/" + pipeline.pid() + "/cmdline"), StandardCharsets.UTF_8);
      assertTrue(cmdline.contains("--jdbcUser=" + db.role), "not the pipeline's command line: " + cmdline);
      assertFalse(cmdline.contains(password), "the password is in the pipeline JVM's command line");

      TreeSet<String> pagesSeen = new TreeSet<>();
      HttpClient http =
          HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build();
      String ui = "http://127.0.0.1:" + uiPort;
      while (pipeline.isAlive()) {
        String applications = get(http, ui + "/api/v1/applications");
        Matcher id = applications == null ? null : APPLICATION_ID.matcher(applications);
        if (id != null && id.find()) {
          List<String> pages = new ArrayList<>(UI_PAGES);
          REST_PAGES.forEach(page -> pages.add("/api/v1/applications/" + id.group(1) + page));
          for (String page : pages) {
            String body = get(http, ui + page);
            if (body != null) {
              assertFalse(body.contains(password), "the password is on the Spark UI page " + page);
              pagesSeen.add(page.replace(id.group(1), "APP"));
            }
          }
        }
        pipeline.waitFor(1, TimeUnit.SECONDS);
      }
      String output = Files.readString(log);
      assertEquals(0, pipeline.exitValue(), output);
      assertEquals(UI_PAGES.size() + REST_PAGES.size(), pagesSeen.size(), "Spark UI pages fetched: " + pagesSeen);

      List<Path> files;
      try (Stream<Path> walk = Files.walk(dir)) {
        files = walk.filter(Files::isRegularFile).toList();
      }
      TreeSet<String> kinds = new TreeSet<>();
      byte[] secret = password.getBytes(StandardCharsets.UTF_8);
      for (Path file : files) {
        assertFalse(contains(Files.readAllBytes(file), secret), "the password is in " + file);
        String name = file.getFileName().toString();
        kinds.add(name.endsWith(".parquet") ? "parquet" : name.startsWith("local-") ? "event log" : name);
      }
      assertTrue(kinds.containsAll(List.of("parquet", "event log", "_SUMMARY.json", "report.html", "pipeline.log")),
          "files searched: " + kinds);
      assertTrue(output.contains("this run is "), output);
      try (Connection owner = db.connectAsOwner();
          Statement statement = owner.createStatement();
          ResultSet row = statement.executeQuery("SELECT status, read FROM pipeline_runs")) {
        assertTrue(row.next());
        assertEquals("DONE", row.getString(1));
        assertEquals(20_000, row.getLong(2));
        assertFalse(row.next());
      }
    }
  }

  /** The body of a 200 answer, or null while the UI is not (or no longer) up. */
  private static String get(HttpClient http, String url) throws InterruptedException {
    try {
      HttpResponse<String> response =
          http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** The --add-opens flags Spark needs on Java 17, as the test JVM got them from surefire's argLine. */
  private static List<String> sparkJvmFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(flag -> flag.startsWith("--add-opens") || flag.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
            || flag.startsWith("-Djdk.reflect"))
        .toList();
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
