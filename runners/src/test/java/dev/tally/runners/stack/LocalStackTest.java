package dev.tally.runners.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HDFS service through its whole life, for real: up, a second up, a file written with Hadoop's client, down
 * with no process left, up again with the file still there, status, down.
 */
@Tag("integration")
class LocalStackTest {
  private static final Set<StackService> HDFS = EnumSet.of(StackService.HDFS);
  private static final org.apache.hadoop.fs.Path FILE = new org.apache.hadoop.fs.Path("/tally/kept.txt");
  private static final String CONTENT = "kept across down and up\n";

  @TempDir Path dir;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private LocalStack stack;

  @AfterEach
  void stopEvenAfterAFailure() {
    if (stack != null) {
      stack.down(HDFS);
    }
  }

  @Test
  void hdfsKeepsItsDataAcrossDownAndUp() throws Exception {
    StackSettings settings = TestStacks.onFreePorts(dir.resolve("stack")).build();
    stack = new LocalStack(settings, new PrintStream(printed, true, StandardCharsets.UTF_8));

    stack.up(HDFS);
    ServiceStatus first = stack.hdfs().status();
    assertEquals(ServiceStatus.State.RUNNING, first.state());
    assertEquals(1, first.pids().size());
    ProcStat daemon = TestStacks.leader(stack.hdfs().daemon()).orElseThrow();
    assertEquals(first.pids().get(0), daemon.pid());
    assertEquals(settings.hdfsUrl(), stack.hdfs().defaultFs());

    assertFalse(stack.hdfs().up(), "a second up starts nothing");
    assertTrue(printed.toString(StandardCharsets.UTF_8).contains("hdfs: already running (pid " + daemon.pid() + ")"));
    assertEquals(first.pids(), stack.hdfs().status().pids());

    try (FileSystem fs = FileSystem.newInstance(clientConfiguration(settings))) {
      assertEquals(settings.hdfsUrl(), fs.getUri().toString());
      try (OutputStream out = fs.create(FILE)) {
        out.write(CONTENT.getBytes(StandardCharsets.UTF_8));
      }
      assertEquals(1, fs.getFileStatus(FILE).getReplication(), "hdfs-site.xml's replication");
    }

    stack.down(HDFS);
    assertFalse(TestStacks.stillRuns(daemon), "the HDFS JVM still runs after down");
    assertEquals(List.of(), TestStacks.sessionOf(daemon));
    assertFalse(Ports.isOpen(StackSettings.HOST, settings.hdfsPort()), "the NameNode port still answers");
    assertEquals(ServiceStatus.State.STOPPED, stack.hdfs().status().state());

    assertTrue(stack.hdfs().up(), "up after down starts HDFS again");
    ProcStat again = TestStacks.leader(stack.hdfs().daemon()).orElseThrow();
    assertNotEquals(daemon, again);
    try (FileSystem fs = FileSystem.newInstance(clientConfiguration(settings));
        InputStream in = fs.open(FILE)) {
      assertEquals(CONTENT, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    String status = stack.status(HDFS).get(0).describe();
    assertTrue(status.startsWith("hdfs: running"), status);
    assertTrue(status.contains(settings.hdfsUrl() + " (pid " + again.pid() + ")"), status);
    assertTrue(status.contains("web UI http://127.0.0.1:" + settings.hdfsUiPort()), status);
    assertTrue(status.contains("HADOOP_CONF_DIR=" + settings.hadoopConfDir()), status);

    stack.down(HDFS);
    assertFalse(TestStacks.stillRuns(again), "the HDFS JVM still runs after the second down");
    assertEquals(List.of(), TestStacks.sessionOf(again));
    assertEquals(ServiceStatus.State.STOPPED, stack.hdfs().status().state());
    stack = null;
  }

  /** Exactly what a client with HADOOP_CONF_DIR=<stack>/hadoop-conf sees. */
  private static Configuration clientConfiguration(StackSettings settings) throws IOException {
    Configuration conf = new Configuration();
    conf.addResource(new org.apache.hadoop.fs.Path(settings.hadoopConfDir().resolve("core-site.xml").toUri()));
    conf.addResource(new org.apache.hadoop.fs.Path(settings.hadoopConfDir().resolve("hdfs-site.xml").toUri()));
    return conf;
  }
}
