package dev.tally.runners.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HDFS for the local stack: a NameNode and one DataNode ({@link HdfsDaemon}) in a JVM of their own, data kept
 * under {@code <dir>/hdfs} across down and up, and client configuration in {@code <dir>/hadoop-conf} for
 * {@code HADOOP_CONF_DIR}.
 */
public final class Hdfs {
  private static final String DAEMON_HEAP = "-Xmx1g";
  private static final Duration POLL = Duration.ofMillis(250);

  private final StackSettings settings;
  private final PrintStream out;
  private final ManagedProcess daemon;

  public Hdfs(StackSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
    this.daemon = new ManagedProcess(settings, "hdfs");
  }

  /**
   * Starts the NameNode and DataNode unless they run, writes the client configuration, and waits until HDFS
   * accepts clients.
   *
   * @return true if it started HDFS, false if it was already running
   */
  public boolean up() {
    Optional<PidFile> running = daemon.running();
    if (running.isPresent()) {
      out.printf("hdfs: already running (pid %d)%n", running.get().pid());
      writeClientConf(running.get().info().get("url"));
      awaitReady();
      out.println(status().describe());
      return false;
    }
    Ports.requireFree(settings.hdfsPort(), "HDFS NameNode", "--hdfs-port", StackSettings.HDFS_PORT_ENV);
    Ports.requireFree(settings.hdfsUiPort(), "HDFS NameNode web UI", "--hdfs-ui-port", StackSettings.HDFS_UI_PORT_ENV);
    Instant begin = Instant.now();
    Path base = baseDir();
    try {
      Files.deleteIfExists(readyFile());
    } catch (IOException e) {
      throw new StackException("cannot delete " + readyFile() + ": " + e.getMessage(), e);
    }
    writeClientConf(settings.hdfsUrl());
    List<String> command = new ArrayList<>();
    command.add(settings.javaExecutable().toString());
    command.add(DAEMON_HEAP);
    command.addAll(settings.javaFlags());
    command.add("-cp");
    command.add(settings.daemonClasspath());
    command.add(HdfsDaemon.class.getName());
    command.add(base.toString());
    command.add(Integer.toString(settings.hdfsPort()));
    command.add(Integer.toString(settings.hdfsUiPort()));
    command.add(readyFile().toString());
    daemon.start(
        command,
        Map.of(),
        base,
        Map.of("url", settings.hdfsUrl(), "ui", "http://" + StackSettings.HOST + ":" + settings.hdfsUiPort()));
    awaitReady();
    out.printf("hdfs: ready in %.1f s%n", Duration.between(begin, Instant.now()).toMillis() / 1000.0);
    out.println(status().describe());
    return true;
  }

  /**
   * Stops the NameNode and DataNode; their data stays.
   *
   * @return true if HDFS was running
   */
  public boolean down() {
    boolean stopped = daemon.stop(settings.stopTimeout());
    out.println(stopped ? "hdfs: stopped (data kept in " + baseDir() + ")" : "hdfs: not running");
    return stopped;
  }

  public ServiceStatus status() {
    Optional<PidFile> running = daemon.running();
    List<String> details = new ArrayList<>();
    if (running.isEmpty()) {
      details.add("data      " + baseDir());
      return new ServiceStatus(StackService.HDFS, ServiceStatus.State.STOPPED, List.of(), details);
    }
    String url = running.get().info().get("url");
    boolean ready = Files.exists(readyFile()) && Ports.isOpen(StackSettings.HOST, port(url));
    details.add(String.format("namenode  %s (pid %d), web UI %s", url, running.get().pid(), running.get().info().get("ui")));
    details.add("clients   HADOOP_CONF_DIR=" + settings.hadoopConfDir());
    details.add("data      " + baseDir());
    details.add("log       " + daemon.logFile());
    if (!ready) {
      details.add("not ready: the NameNode does not accept connections yet (or any more); see the log");
    }
    return new ServiceStatus(
        StackService.HDFS,
        ready ? ServiceStatus.State.RUNNING : ServiceStatus.State.PARTIAL,
        List.of(running.get().pid()),
        details);
  }

  /** {@code fs.defaultFS} of the running HDFS, else of the one the settings would start. */
  public String defaultFs() {
    return daemon.running().map(file -> file.info().get("url")).orElse(settings.hdfsUrl());
  }

  /** The folder for {@code HADOOP_CONF_DIR}. */
  public Path clientConfDir() {
    return settings.hadoopConfDir();
  }

  public ManagedProcess daemon() {
    return daemon;
  }

  private Path baseDir() {
    return settings.dir().resolve("hdfs");
  }

  private Path readyFile() {
    return baseDir().resolve("ready");
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(settings.readyTimeout());
    while (Instant.now().isBefore(deadline)) {
      Optional<PidFile> running = daemon.running();
      if (running.isEmpty()) {
        throw new StackException(
            "hdfs exited while starting. Last lines of " + daemon.logFile() + ":" + System.lineSeparator()
                + daemon.logTail(20));
      }
      if (Files.exists(readyFile()) && Ports.isOpen(StackSettings.HOST, port(running.get().info().get("url")))) {
        return;
      }
      ManagedProcess.sleep(POLL);
    }
    throw new StackException(
        "hdfs did not become ready within " + settings.readyTimeout().toSeconds() + " s. Last lines of "
            + daemon.logFile() + ":" + System.lineSeparator() + daemon.logTail(20) + System.lineSeparator()
            + "Stop it with ./tally stack down hdfs");
  }

  /** core-site.xml (fs.defaultFS) and hdfs-site.xml (replication 1: there is one DataNode). */
  private void writeClientConf(String defaultFs) {
    try {
      Files.createDirectories(settings.hadoopConfDir());
      Files.writeString(
          settings.hadoopConfDir().resolve("core-site.xml"),
          configuration(Map.of("fs.defaultFS", defaultFs)),
          StandardCharsets.UTF_8);
      // Here, not in core-site.xml: hdfs-default.xml is loaded after core-site.xml and would override it.
      Files.writeString(
          settings.hadoopConfDir().resolve("hdfs-site.xml"),
          configuration(Map.of("dfs.replication", "1")),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StackException("cannot write the HDFS client configuration to " + settings.hadoopConfDir() + ": " + e.getMessage(), e);
    }
  }

  private static String configuration(Map<String, String> properties) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!-- Written by ./tally stack up hdfs. -->\n<configuration>\n");
    properties.forEach(
        (name, value) ->
            xml.append("  <property>\n    <name>").append(name).append("</name>\n    <value>").append(value)
                .append("</value>\n  </property>\n"));
    return xml.append("</configuration>\n").toString();
  }

  private static int port(String url) {
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }
}
