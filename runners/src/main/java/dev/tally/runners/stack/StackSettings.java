package dev.tally.runners.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the local stack lives and which ports it uses. Everything binds to {@link #HOST}. Defaults are the usual
 * ports of each product, so URLs look familiar; {@code TALLY_*_PORT} environment variables move them (for a second
 * stack next to someone else's); tests use {@link Builder#freePorts()} so they never disturb a stack a developer is
 * running.
 *
 * @param home the repository root (holds {@code .mvn/jvm.config} and the Maven-built Spark home)
 * @param dir the one folder holding pid files, logs, data and client configuration of every service
 * @param sparkMasterPort the Spark Master's RPC port (the port of {@code spark://127.0.0.1:PORT})
 * @param sparkMasterUiPort the Master's web UI, also serving {@code /json/}
 * @param workers how many Spark Workers to run
 * @param workerCores cores each Worker offers
 * @param workerMemory memory each Worker offers to executors, Spark syntax ({@code 6g}, {@code 512m})
 * @param workerUiPort the first Worker's web UI; Worker N uses this + N - 1
 * @param hdfsPort the NameNode's RPC port (the port of {@code fs.defaultFS})
 * @param hdfsUiPort the NameNode's web UI
 * @param kafkaPort the Kafka broker's client port (the port of {@code bootstrap.servers})
 * @param kafkaControllerPort the port of the broker's own KRaft controller
 * @param kafkaPartitions how many partitions {@code up} gives the topics it creates
 * @param readyTimeout how long a service may take to become ready
 * @param stopTimeout how long a process may take to exit after SIGTERM before it gets SIGKILL
 * @param daemonClasspath the classpath of JVMs running Tally's own daemon classes (HDFS)
 */
public record StackSettings(
    Path home,
    Path dir,
    int sparkMasterPort,
    int sparkMasterUiPort,
    int workers,
    int workerCores,
    String workerMemory,
    int workerUiPort,
    int hdfsPort,
    int hdfsUiPort,
    int kafkaPort,
    int kafkaControllerPort,
    int kafkaPartitions,
    Duration readyTimeout,
    Duration stopTimeout,
    String daemonClasspath) {

  public static final String HOST = "127.0.0.1";
  public static final String STACK_DIR_ENV = "TALLY_STACK_DIR";
  /** Environment variables that move a port away from its default, e.g. when another stack runs on this machine. */
  public static final String SPARK_PORT_ENV = "TALLY_SPARK_PORT";
  public static final String SPARK_UI_PORT_ENV = "TALLY_SPARK_UI_PORT";
  public static final String WORKER_UI_PORT_ENV = "TALLY_WORKER_UI_PORT";
  public static final String HDFS_PORT_ENV = "TALLY_HDFS_PORT";
  public static final String HDFS_UI_PORT_ENV = "TALLY_HDFS_UI_PORT";
  public static final String HOME_PROPERTY = "tally.home";

  public StackSettings {
    home = home.toAbsolutePath().normalize();
    dir = dir.toAbsolutePath().normalize();
    for (int port :
        new int[] {sparkMasterPort, sparkMasterUiPort, workerUiPort, hdfsPort, hdfsUiPort, kafkaPort, kafkaControllerPort}) {
      checkPort(port);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
    }
    checkPort(workerUiPort + workers - 1);
    if (workerCores < 1) {
      throw new IllegalArgumentException("--worker-cores must be at least 1, got " + workerCores);
    }
    if (kafkaPort == kafkaControllerPort) {
      throw new IllegalArgumentException("--kafka-port and --kafka-controller-port must differ, both are " + kafkaPort);
    }
    if (kafkaPartitions < 1) {
      throw new IllegalArgumentException("--partitions must be at least 1, got " + kafkaPartitions);
    }
    if (!workerMemory.toLowerCase(Locale.ROOT).matches("[1-9][0-9]*[kmgt]?")) {
      throw new IllegalArgumentException("--worker-memory must look like 6g or 512m, got '" + workerMemory + "'");
    }
    Objects.requireNonNull(readyTimeout, "readyTimeout");
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    Objects.requireNonNull(daemonClasspath, "daemonClasspath");
  }

  /** Settings with every default: see {@link Builder}. */
  public static StackSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .home(home)
        .dir(dir)
        .sparkMasterPort(sparkMasterPort)
        .sparkMasterUiPort(sparkMasterUiPort)
        .workers(workers)
        .workerCores(workerCores)
        .workerMemory(workerMemory)
        .workerUiPort(workerUiPort)
        .hdfsPort(hdfsPort)
        .hdfsUiPort(hdfsUiPort)
        .kafkaPort(kafkaPort)
        .kafkaControllerPort(kafkaControllerPort)
        .kafkaPartitions(kafkaPartitions)
        .readyTimeout(readyTimeout)
        .stopTimeout(stopTimeout)
        .daemonClasspath(daemonClasspath);
  }

  /** The SPARK_HOME built by the {@code runners/spark-home} module: a stock Spark's {@code jars/}, from Maven. */
  public Path sparkHome() {
    return home.resolve("runners/spark-home/target/spark-home");
  }

  /** The Maven-built {@code runners/kafka-home}: a Kafka broker's {@code libs/}. */
  public Path kafkaHome() {
    return home.resolve("runners/kafka-home/target/kafka-home");
  }

  /** The shaded pipelines jar that {@code ./tally submit} hands to spark-submit. */
  public Path bundledJar() {
    return home.resolve("pipelines/target/tally-pipelines-bundled.jar");
  }

  /** {@code core-site.xml} and {@code hdfs-site.xml} for clients: {@code HADOOP_CONF_DIR=<this>}. */
  public Path hadoopConfDir() {
    return dir.resolve("hadoop-conf");
  }

  public Path logsDir() {
    return dir.resolve("logs");
  }

  public Path pidDir() {
    return dir.resolve("run");
  }

  /** {@code spark://127.0.0.1:PORT}. */
  public String sparkMasterUrl() {
    return "spark://" + HOST + ":" + sparkMasterPort;
  }

  /** {@code hdfs://127.0.0.1:PORT}. */
  public String hdfsUrl() {
    return "hdfs://" + HOST + ":" + hdfsPort;
  }

  /** {@code 127.0.0.1:PORT}, for Kafka clients' {@code bootstrap.servers}. */
  public String kafkaBootstrapServers() {
    return HOST + ":" + kafkaPort;
  }

  /** The java of this JVM: every process of the stack runs on the same Java. */
  public Path javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /**
   * The flags Spark 3.5 needs on Java 17 (the {@code --add-opens} list), from {@code .mvn/jvm.config}: the one
   * list the build, the launcher and the stack share.
   */
  public List<String> javaFlags() {
    Path config = home.resolve(".mvn/jvm.config");
    try {
      return Files.readAllLines(config).stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
    } catch (IOException e) {
      throw new StackException(
          "cannot read the Java 17 flags from " + config + " (" + e.getMessage() + "): is " + home
              + " the Tally repository? Set it with -D" + HOME_PROPERTY + "=DIR");
    }
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("ports must be between 1 and 65535, got " + port);
    }
  }

  /** Builds settings; anything not set gets the default named on its setter. */
  public static final class Builder {
    private Path home;
    private Path dir;
    private int sparkMasterPort = portFromEnvironment(SPARK_PORT_ENV, 7077);
    private int sparkMasterUiPort = portFromEnvironment(SPARK_UI_PORT_ENV, 8080);
    private int workers = 1;
    private int workerCores = 2;
    private String workerMemory = "6g";
    private int workerUiPort = portFromEnvironment(WORKER_UI_PORT_ENV, 8081);
    private int hdfsPort = portFromEnvironment(HDFS_PORT_ENV, 8020);
    private int hdfsUiPort = portFromEnvironment(HDFS_UI_PORT_ENV, 9870);
    private int kafkaPort = 9092;
    private int kafkaControllerPort = 9093;
    private int kafkaPartitions = 3;
    private Duration readyTimeout = Duration.ofSeconds(90);
    private Duration stopTimeout = Duration.ofSeconds(20);
    private String daemonClasspath = System.getProperty("java.class.path");

    private Builder() {}

    /** Default: system property {@code tally.home} (the launcher sets it), else the working directory. */
    public Builder home(Path home) {
      this.home = home;
      return this;
    }

    /** Default: {@code $TALLY_STACK_DIR}, else {@code <home>/data/stack}. */
    public Builder dir(Path dir) {
      this.dir = dir;
      return this;
    }

    /** Default {@code $TALLY_SPARK_PORT}, else 7077. */
    public Builder sparkMasterPort(int port) {
      this.sparkMasterPort = port;
      return this;
    }

    /** Default {@code $TALLY_SPARK_UI_PORT}, else 8080. */
    public Builder sparkMasterUiPort(int port) {
      this.sparkMasterUiPort = port;
      return this;
    }

    /** Default 1. */
    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    /** Default 2. */
    public Builder workerCores(int cores) {
      this.workerCores = cores;
      return this;
    }

    /** Default 6g. */
    public Builder workerMemory(String memory) {
      this.workerMemory = memory;
      return this;
    }

    /** Default {@code $TALLY_WORKER_UI_PORT}, else 8081; Worker N uses this + N - 1. */
    public Builder workerUiPort(int port) {
      this.workerUiPort = port;
      return this;
    }

    /** Default {@code $TALLY_HDFS_PORT}, else 8020. */
    public Builder hdfsPort(int port) {
      this.hdfsPort = port;
      return this;
    }

    /** Default {@code $TALLY_HDFS_UI_PORT}, else 9870. */
    public Builder hdfsUiPort(int port) {
      this.hdfsUiPort = port;
      return this;
    }

    /** Default 9092. */
    public Builder kafkaPort(int port) {
      this.kafkaPort = port;
      return this;
    }

    /** Default 9093. */
    public Builder kafkaControllerPort(int port) {
      this.kafkaControllerPort = port;
      return this;
    }

    /** Default 3. */
    public Builder kafkaPartitions(int partitions) {
      this.kafkaPartitions = partitions;
      return this;
    }

    /** Default 90 s. */
    public Builder readyTimeout(Duration timeout) {
      this.readyTimeout = timeout;
      return this;
    }

    /** Default 20 s. */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = timeout;
      return this;
    }

    /** Default: this JVM's classpath (the launcher's, which holds Tally's classes and MiniDFSCluster). */
    public Builder daemonClasspath(String classpath) {
      this.daemonClasspath = classpath;
      return this;
    }

    /**
     * Free ports, chosen by the OS, for every service (Workers get consecutive UI ports, so the set is chosen
     * again until that holds). For tests next to a running stack.
     */
    public Builder freePorts() {
      for (int attempt = 0; ; attempt++) {
        List<Integer> ports = freePorts(7);
        int firstWorkerUi = ports.get(2);
        if (workers == 1 || rangeIsFree(firstWorkerUi + 1, workers - 1)) {
          sparkMasterPort = ports.get(0);
          sparkMasterUiPort = ports.get(1);
          workerUiPort = firstWorkerUi;
          hdfsPort = ports.get(3);
          hdfsUiPort = ports.get(4);
          kafkaPort = ports.get(5);
          kafkaControllerPort = ports.get(6);
          return this;
        }
        if (attempt == 20) {
          throw new StackException("found no " + workers + " consecutive free ports for the Worker UIs");
        }
      }
    }

    public StackSettings build() {
      Path resolvedHome = home != null ? home : defaultHome();
      Path resolvedDir = dir != null ? dir : defaultDir(resolvedHome);
      return new StackSettings(
          resolvedHome,
          resolvedDir,
          sparkMasterPort,
          sparkMasterUiPort,
          workers,
          workerCores,
          workerMemory,
          workerUiPort,
          hdfsPort,
          hdfsUiPort,
          kafkaPort,
          kafkaControllerPort,
          kafkaPartitions,
          readyTimeout,
          stopTimeout,
          daemonClasspath);
    }

    private static int portFromEnvironment(String variable, int defaultPort) {
      String value = System.getenv(variable);
      if (value == null || value.isBlank()) {
        return defaultPort;
      }
      try {
        return Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(variable + " must be a port number, got '" + value + "'");
      }
    }

    private static Path defaultHome() {
      String home = System.getProperty(HOME_PROPERTY);
      return Path.of(home != null && !home.isBlank() ? home : "");
    }

    private static Path defaultDir(Path home) {
      String dir = System.getenv(STACK_DIR_ENV);
      return dir != null && !dir.isBlank() ? Path.of(dir) : home.resolve("data/stack");
    }

    /** Binds all at once, so the ports are distinct, then releases them for the services. */
    private static List<Integer> freePorts(int count) {
      List<ServerSocket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < count; i++) {
          ServerSocket socket = new ServerSocket();
          sockets.add(socket);
          socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
        }
        return sockets.stream().map(ServerSocket::getLocalPort).toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find free ports", e);
      } finally {
        for (ServerSocket socket : sockets) {
          try {
            socket.close();
          } catch (IOException e) {
            // A socket that cannot be closed still freed nothing we rely on.
          }
        }
      }
    }

    private static boolean rangeIsFree(int first, int count) {
      for (int port = first; port < first + count; port++) {
        if (port > 65535 || !Ports.isFree(port)) {
          return false;
        }
      }
      return true;
    }
  }
}
