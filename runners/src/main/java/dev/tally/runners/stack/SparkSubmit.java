package dev.tally.runners.stack;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * spark-submit of a pipeline to a Spark standalone Master, exactly as a user of a stock Spark 3.5 distribution
 * would run it: {@code org.apache.spark.deploy.SparkSubmit} from the Maven-built SPARK_HOME, client deploy mode,
 * the bundled pipelines jar as the application. The driver runs in a child JVM with this JVM's stdin, stdout and
 * stderr.
 *
 * @param settings the stack (Spark home, Java flags, bundled jar, HADOOP_CONF_DIR)
 * @param master the Master URL, {@code spark://HOST:PORT}
 * @param mainClass the application's main class
 * @param driverMemory the driver JVM's heap
 * @param executorMemory {@code spark.executor.memory}
 */
public record SparkSubmit(
    StackSettings settings, String master, String mainClass, String driverMemory, String executorMemory) {

  public static final String SUBMIT_CLASS = "org.apache.spark.deploy.SparkSubmit";
  public static final String DEFAULT_MAIN_CLASS = "dev.tally.pipelines.BatchPipeline";
  /** How long the driver may take to stop after SIGTERM (the streaming pipeline halts itself after 20 s). */
  static final Duration DRIVER_STOP_TIMEOUT = Duration.ofSeconds(40);

  /** Submits to the stack's Master (the running one's URL, else the settings'), the batch pipeline, 2g + 2g. */
  public static SparkSubmit toStack(StackSettings settings) {
    String master = new SparkStandalone(settings, System.out).masterUrl();
    return new SparkSubmit(settings, master, DEFAULT_MAIN_CLASS, "2g", "2g");
  }

  public SparkSubmit withMaster(String url) {
    return new SparkSubmit(settings, url, mainClass, driverMemory, executorMemory);
  }

  public SparkSubmit withMainClass(String name) {
    return new SparkSubmit(settings, master, name, driverMemory, executorMemory);
  }

  /**
   * The command line: {@code java -Xmx2g <Java 17 flags> -cp SPARK_HOME/jars/* SparkSubmit --master ... --class ...
   * bundled.jar --runner=SparkRunner <pipeline args>}. Local relative paths in {@code --input}, {@code --output} and
   * {@code --checkpointDir} are made absolute, because executors run in the Worker's folder, not here.
   */
  public List<String> command(List<String> pipelineArgs) {
    List<String> command = new ArrayList<>();
    command.add(settings.javaExecutable().toString());
    command.add("-Xmx" + driverMemory);
    command.addAll(settings.javaFlags());
    // What a stock distribution's conf/log4j2.properties does: the terminal shows warnings, not 800 INFO lines.
    Path logConfig = settings.home().resolve("deploy/spark/conf/log4j2.properties");
    if (Files.isRegularFile(logConfig)) {
      command.add("-Dlog4j2.configurationFile=" + logConfig.toUri());
    }
    command.add("-cp");
    command.add(settings.sparkHome().resolve("jars") + "/*");
    command.add(SUBMIT_CLASS);
    command.addAll(List.of("--master", master, "--deploy-mode", "client"));
    command.addAll(List.of("--conf", "spark.executor.memory=" + executorMemory));
    command.addAll(List.of("--class", mainClass));
    command.add(settings.bundledJar().toString());
    if (pipelineArgs.stream().noneMatch(arg -> arg.startsWith("--runner="))) {
      command.add("--runner=SparkRunner");
    }
    pipelineArgs.stream().map(SparkSubmit::absoluteLocalPath).forEach(command::add);
    return command;
  }

  /**
   * The driver's environment additions: SPARK_HOME, SPARK_SCALA_VERSION, SPARK_LOCAL_IP, and HADOOP_CONF_DIR (the
   * stack's client configuration) when it is not set already and the stack has written one.
   */
  public Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("SPARK_HOME", settings.sparkHome().toString());
    environment.put("SPARK_SCALA_VERSION", new SparkStandalone(settings, System.out).checkSparkHome());
    environment.put("SPARK_LOCAL_IP", StackSettings.HOST);
    String hadoopConf = System.getenv("HADOOP_CONF_DIR");
    if ((hadoopConf == null || hadoopConf.isBlank()) && Files.isDirectory(settings.hadoopConfDir())) {
      environment.put("HADOOP_CONF_DIR", settings.hadoopConfDir().toString());
    }
    return environment;
  }

  /**
   * Checks that the Spark home and bundled jar are built and a Master answers, then runs the driver to completion.
   * If this JVM is stopped first (SIGTERM, Ctrl-C), the driver is stopped with it (see {@link #stopDriver}), so no
   * driver, and hence no application on the cluster, outlives {@code ./tally submit}.
   *
   * @return spark-submit's exit code (0: the pipeline finished)
   * @throws StackException naming the fix when something needed is missing
   */
  public int run(List<String> pipelineArgs) throws IOException, InterruptedException {
    Process driver = processBuilder(pipelineArgs).inheritIO().start();
    Thread stop = new Thread(() -> stopDriver(driver), "tally-submit-stop-driver");
    Runtime.getRuntime().addShutdownHook(stop);
    int exitCode = driver.waitFor();
    try {
      Runtime.getRuntime().removeShutdownHook(stop);
    } catch (IllegalStateException e) {
      // This JVM is shutting down: the hook is stopping the driver.
    }
    return exitCode;
  }

  /**
   * SIGTERM to the driver JVM, whose shutdown hooks stop the SparkContext and so unregister the application from
   * the Master (the Worker then ends its executors); SIGKILL if it is still running after
   * {@link #DRIVER_STOP_TIMEOUT} (the Master then drops the application when the driver's connection closes).
   */
  static void stopDriver(Process driver) {
    if (!driver.isAlive()) {
      return;
    }
    System.err.println("tally submit: stopping the driver (pid " + driver.pid() + ")");
    driver.destroy();
    try {
      if (!driver.waitFor(DRIVER_STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        System.err.println("tally submit: the driver did not stop within " + DRIVER_STOP_TIMEOUT.toSeconds() + " s: killing it");
        driver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      driver.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Everything {@link #run} checks and would start, for callers that redirect the output. */
  public ProcessBuilder processBuilder(List<String> pipelineArgs) {
    checkReady();
    ProcessBuilder builder = new ProcessBuilder(command(pipelineArgs));
    builder.environment().putAll(environment());
    return builder;
  }

  /** @throws StackException if the Spark home or bundled jar is not built, or no Master listens at {@link #master} */
  public void checkReady() {
    new SparkStandalone(settings, System.out).checkSparkHome();
    if (!Files.isRegularFile(settings.bundledJar())) {
      throw new StackException(
          "the bundled pipelines jar " + settings.bundledJar() + " is not built: build it with `cd " + settings.home()
              + " && mvn -o -B -q install -DskipTests` (./tally does that on first use)");
    }
    Optional<URI> address = masterAddress();
    if (address.isEmpty()) {
      throw new StackException("--master must look like spark://HOST:PORT, got '" + master + "'");
    }
    if (!Ports.isOpen(address.get().getHost(), address.get().getPort())) {
      throw new StackException("no Spark master at " + master + ": start one with ./tally stack up spark");
    }
  }

  private Optional<URI> masterAddress() {
    try {
      URI uri = new URI(master);
      return "spark".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0
          ? Optional.of(uri)
          : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** {@code --input=data/x/*} becomes {@code --input=/abs/data/x/*}; URLs and absolute paths stay. */
  static String absoluteLocalPath(String arg) {
    for (String flag : List.of("--input=", "--output=", "--checkpointDir=")) {
      if (arg.startsWith(flag)) {
        String value = arg.substring(flag.length());
        if (!value.isEmpty() && !value.startsWith("/") && !value.contains("://")) {
          return flag + Path.of("").toAbsolutePath().resolve(value);
        }
      }
    }
    return arg;
  }
}
