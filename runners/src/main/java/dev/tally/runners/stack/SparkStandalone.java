package dev.tally.runners.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * A Spark standalone cluster from the Maven-built SPARK_HOME: one Master and {@code workers} Workers, each in its own
 * JVM, exactly as Spark's own sbin scripts would start them. Ready when the Master's {@code /json/} reports it ALIVE
 * with the expected number of ALIVE Workers.
 */
public final class SparkStandalone {
  static final String MASTER_CLASS = "org.apache.spark.deploy.master.Master";
  static final String WORKER_CLASS = "org.apache.spark.deploy.worker.Worker";
  private static final String DAEMON_HEAP = "-Xmx512m";
  private static final Pattern WORKER_PID_FILE = Pattern.compile("spark-worker-([0-9]+)\\.pid");
  private static final Pattern SPARK_CORE_JAR = Pattern.compile("spark-core_([0-9]+\\.[0-9]+)-.*\\.jar");
  private static final Duration POLL = Duration.ofMillis(250);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StackSettings settings;
  private final PrintStream out;
  private final ManagedProcess master;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  public SparkStandalone(StackSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
    this.master = new ManagedProcess(settings, "spark-master");
  }

  /**
   * Starts what is not running yet (the Master, Workers 1 to {@code workers}) and waits until the Master reports
   * them ALIVE.
   *
   * @return true if it started anything, false if everything was already running
   * @throws StackException naming the fix: a port taken, Spark home not built, not ready in time
   */
  public boolean up() {
    String scalaVersion = checkSparkHome();
    Instant begin = Instant.now();
    boolean started = false;
    Optional<PidFile> runningMaster = master.running();
    runningMaster.ifPresent(file -> out.printf("spark: master already running (pid %d)%n", file.pid()));
    List<Integer> workersToStart = new ArrayList<>();
    for (int number = 1; number <= settings.workers(); number++) {
      Optional<PidFile> running = worker(number).running();
      if (running.isPresent()) {
        out.printf("spark: worker %d already running (pid %d)%n", number, running.get().pid());
      } else {
        workersToStart.add(number);
      }
    }
    // Every port is checked before anything starts, so a taken port leaves nothing half-started behind.
    if (runningMaster.isEmpty()) {
      Ports.requireFree(settings.sparkMasterPort(), "Spark master", "--spark-port", StackSettings.SPARK_PORT_ENV);
      Ports.requireFree(settings.sparkMasterUiPort(), "Spark master web UI", "--spark-ui-port", StackSettings.SPARK_UI_PORT_ENV);
    }
    for (int number : workersToStart) {
      Ports.requireFree(workerUiPort(number), "Spark worker " + number + " web UI", "--worker-ui-port", StackSettings.WORKER_UI_PORT_ENV);
    }

    if (runningMaster.isEmpty()) {
      master.start(
          javaCommand(
              MASTER_CLASS,
              "--host", StackSettings.HOST,
              "--port", Integer.toString(settings.sparkMasterPort()),
              "--webui-port", Integer.toString(settings.sparkMasterUiPort())),
          environment(scalaVersion),
          settings.dir().resolve("spark"),
          Map.of("url", settings.sparkMasterUrl(), "ui", uiUrl(settings.sparkMasterUiPort())));
      started = true;
    }
    String masterUrl = masterUrl();
    for (int number : workersToStart) {
      Path workDir = settings.dir().resolve("spark/worker-" + number);
      worker(number).start(
          javaCommand(
              WORKER_CLASS,
              "--host", StackSettings.HOST,
              "--cores", Integer.toString(settings.workerCores()),
              "--memory", settings.workerMemory(),
              "--work-dir", workDir.toString(),
              "--webui-port", Integer.toString(workerUiPort(number)),
              masterUrl),
          environment(scalaVersion),
          workDir,
          Map.of("ui", uiUrl(workerUiPort(number)), "master", masterUrl));
      started = true;
    }
    awaitReady();
    if (started) {
      out.printf("spark: ready in %.1f s%n", Duration.between(begin, Instant.now()).toMillis() / 1000.0);
    }
    out.println(status().describe());
    return started;
  }

  /**
   * Stops every Worker (and its executors), then the Master.
   *
   * @return true if anything was running
   */
  public boolean down() {
    boolean stopped = false;
    for (ManagedProcess worker : knownWorkers()) {
      if (worker.stop(settings.stopTimeout())) {
        out.println("spark: stopped " + worker.name());
        stopped = true;
      }
    }
    if (master.stop(settings.stopTimeout())) {
      out.println("spark: stopped spark-master");
      stopped = true;
    }
    if (!stopped) {
      out.println("spark: not running");
    }
    return stopped;
  }

  public ServiceStatus status() {
    List<Long> pids = new ArrayList<>();
    List<String> details = new ArrayList<>();
    Optional<PidFile> runningMaster = master.running();
    runningMaster.ifPresentOrElse(
        file -> {
          pids.add(file.pid());
          details.add(String.format("master    %s (pid %d), web UI %s", file.info().get("url"), file.pid(), file.info().get("ui")));
        },
        () -> details.add("master    not running"));
    int workersRunning = 0;
    for (ManagedProcess worker : knownWorkers()) {
      Optional<PidFile> running = worker.running();
      if (running.isPresent()) {
        workersRunning++;
        pids.add(running.get().pid());
        List<Long> executors =
            worker.processes().stream().map(ProcStat::pid).filter(pid -> pid != running.get().pid()).toList();
        details.add(String.format(
            "%-9s pid %d, web UI %s%s", worker.name().replace("spark-", ""), running.get().pid(), running.get().info().get("ui"),
            executors.isEmpty() ? "" : ", executor pids " + executors));
      }
    }
    Optional<JsonNode> json = runningMaster.isPresent() ? masterJson() : Optional.empty();
    boolean masterAlive = json.map(node -> "ALIVE".equals(node.path("status").asText())).orElse(false);
    long workersAlive = json.map(SparkStandalone::aliveWorkers).orElse(0L);
    if (runningMaster.isPresent()) {
      details.add(
          json.isEmpty()
              ? "the master's web UI does not answer: see " + master.logFile()
              : String.format("master status %s, workers alive %d of %d started; apps running %d, completed %d",
                  json.get().path("status").asText("?"), workersAlive, workersRunning,
                  json.get().path("activeapps").size(), json.get().path("completedapps").size()));
    }
    details.add("logs      " + settings.logsDir() + "/spark-*.log");
    ServiceStatus.State state;
    if (pids.isEmpty()) {
      state = ServiceStatus.State.STOPPED;
    } else if (masterAlive && workersRunning > 0 && workersAlive >= workersRunning) {
      state = ServiceStatus.State.RUNNING;
    } else {
      state = ServiceStatus.State.PARTIAL;
    }
    return new ServiceStatus(StackService.SPARK, state, pids, details);
  }

  /** The running Master's URL ({@code spark://127.0.0.1:PORT}), else the one the settings would start. */
  public String masterUrl() {
    return master.running().map(file -> file.info().get("url")).orElse(settings.sparkMasterUrl());
  }

  /** The running Master's web UI, else the one the settings would start. */
  public URI masterUiUrl() {
    return URI.create(master.running().map(file -> file.info().get("ui")).orElse(uiUrl(settings.sparkMasterUiPort())));
  }

  /** The Master's {@code /json/} (status, workers, activeapps, completedapps), if it answers. */
  public Optional<JsonNode> masterJson() {
    HttpRequest request =
        HttpRequest.newBuilder(masterUiUrl().resolve("/json/")).timeout(Duration.ofSeconds(2)).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The Master's process. */
  public ManagedProcess master() {
    return master;
  }

  /** Every Worker with a pid file, in number order (also those beyond {@code workers}, from an earlier up). */
  public List<ManagedProcess> knownWorkers() {
    List<Integer> numbers = new ArrayList<>();
    if (Files.isDirectory(settings.pidDir())) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(settings.pidDir(), "spark-worker-*.pid")) {
        for (Path file : files) {
          Matcher matcher = WORKER_PID_FILE.matcher(file.getFileName().toString());
          if (matcher.matches()) {
            numbers.add(Integer.parseInt(matcher.group(1)));
          }
        }
      } catch (IOException e) {
        throw new StackException("cannot list " + settings.pidDir() + ": " + e.getMessage(), e);
      }
    }
    return numbers.stream().sorted(Comparator.naturalOrder()).map(this::worker).toList();
  }

  /**
   * The Scala version of the Spark home's jars (what SPARK_SCALA_VERSION must say, or every executor dies with
   * "Cannot find any build directories").
   *
   * @throws StackException if the Spark home is not built
   */
  public String checkSparkHome() {
    return BuiltHome.requireJar(
        settings, settings.sparkHome().resolve("jars"), "spark-core_*.jar", SPARK_CORE_JAR, "Spark home", "spark-core jar");
  }

  private int workerUiPort(int number) {
    return settings.workerUiPort() + number - 1;
  }

  private ManagedProcess worker(int number) {
    return new ManagedProcess(settings, "spark-worker-" + number);
  }

  private List<String> javaCommand(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(settings.javaExecutable().toString());
    command.add(DAEMON_HEAP);
    command.addAll(settings.javaFlags());
    command.add("-cp");
    // Java expands the wildcard itself; the Worker builds executor command lines from the same folder.
    command.add(settings.sparkHome().resolve("jars") + "/*");
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  private Map<String, String> environment(String scalaVersion) {
    return Map.of(
        "SPARK_HOME", settings.sparkHome().toString(),
        "SPARK_SCALA_VERSION", scalaVersion,
        "SPARK_LOCAL_IP", StackSettings.HOST,
        "JAVA_HOME", System.getProperty("java.home"));
  }

  /** Polls the Master until it is ALIVE with every running Worker ALIVE; fails early if a process dies. */
  private void awaitReady() {
    List<ManagedProcess> processes = new ArrayList<>();
    processes.add(master);
    processes.addAll(knownWorkers().stream().filter(worker -> worker.running().isPresent()).toList());
    long expectedWorkers = processes.size() - 1L;
    Instant deadline = Instant.now().plus(settings.readyTimeout());
    String lastSeen = "the master's web UI " + masterUiUrl() + " did not answer";
    while (Instant.now().isBefore(deadline)) {
      for (ManagedProcess process : processes) {
        if (process.running().isEmpty()) {
          throw new StackException(
              "spark: " + process.name() + " exited while starting. Last lines of " + process.logFile() + ":"
                  + System.lineSeparator() + process.logTail(20));
        }
      }
      Optional<JsonNode> json = masterJson();
      if (json.isPresent()) {
        long alive = aliveWorkers(json.get());
        String status = json.get().path("status").asText();
        if ("ALIVE".equals(status) && alive >= expectedWorkers) {
          return;
        }
        lastSeen = "master status " + status + ", " + alive + " of " + expectedWorkers + " workers ALIVE";
      }
      ManagedProcess.sleep(POLL);
    }
    ManagedProcess culprit = lastSeen.contains("did not answer") ? master : processes.get(processes.size() - 1);
    throw new StackException(
        "spark did not become ready within " + settings.readyTimeout().toSeconds() + " s (" + lastSeen
            + "). Last lines of " + culprit.logFile() + ":" + System.lineSeparator() + culprit.logTail(20)
            + System.lineSeparator() + "Stop what did start with ./tally stack down spark");
  }

  private static long aliveWorkers(JsonNode json) {
    return StreamSupport.stream(json.path("workers").spliterator(), false)
        .filter(worker -> "ALIVE".equals(worker.path("state").asText()))
        .count();
  }

  private static String uiUrl(int port) {
    return "http://" + StackSettings.HOST + ":" + port;
  }
}
