package dev.tally.runners.stack;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The local stack as a whole: Spark standalone, HDFS, PostgreSQL and a Kafka broker on 127.0.0.1, all state in one
 * folder ({@link StackSettings#dir()}). Each service is also usable alone ({@link #spark()}, {@link #hdfs()},
 * {@link #postgres()}, {@link #kafka()}).
 */
public final class LocalStack {
  private final StackSettings settings;
  private final PrintStream out;
  private final SparkStandalone spark;
  private final Hdfs hdfs;
  private final Postgres postgres;
  private final KafkaBroker kafka;

  /** @param out where progress and URLs are printed */
  public LocalStack(StackSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
    this.spark = new SparkStandalone(settings, out);
    this.hdfs = new Hdfs(settings, out);
    this.postgres = new Postgres(settings, out);
    this.kafka = new KafkaBroker(settings, out);
  }

  public StackSettings settings() {
    return settings;
  }

  public SparkStandalone spark() {
    return spark;
  }

  public Hdfs hdfs() {
    return hdfs;
  }

  public Postgres postgres() {
    return postgres;
  }

  public KafkaBroker kafka() {
    return kafka;
  }

  /**
   * Starts the services (none given: all) that are not running, and waits until each is ready. A service that
   * fails does not stop the others from starting. Without a PostgreSQL server on the machine, postgres is skipped
   * with a note when it was not asked for by name.
   *
   * @throws StackException listing every service that failed, after the others were started
   */
  public void up(Set<StackService> services) {
    Set<StackService> chosen = StackService.orAll(services);
    boolean byName = !services.isEmpty();
    List<String> failures = new ArrayList<>();
    for (StackService service : chosen) {
      try {
        switch (service) {
          case SPARK -> spark.up();
          case HDFS -> hdfs.up();
          case POSTGRES -> {
            if (!postgres.installed() && !byName) {
              out.println("postgres: skipped: " + Postgres.notInstalledMessage());
            } else {
              postgres.up();
            }
          }
          case KAFKA -> kafka.up();
        }
      } catch (StackException e) {
        failures.add(service.cliName() + ": " + e.getMessage());
      }
    }
    throwIfAny(failures);
  }

  /** {@link #up(Set)} of every service. */
  public void up() {
    up(EnumSet.noneOf(StackService.class));
  }

  /**
   * Stops the services (none given: all) and everything they started; PostgreSQL only if {@code up} started it.
   *
   * @throws StackException listing every service that could not be stopped, after trying all
   */
  public void down(Set<StackService> services) {
    List<String> failures = new ArrayList<>();
    for (StackService service : StackService.orAll(services)) {
      try {
        switch (service) {
          case SPARK -> spark.down();
          case HDFS -> hdfs.down();
          case POSTGRES -> postgres.down();
          case KAFKA -> kafka.down();
        }
      } catch (StackException e) {
        failures.add(service.cliName() + ": " + e.getMessage());
      }
    }
    throwIfAny(failures);
  }

  /** {@link #down(Set)} of every service. */
  public void down() {
    down(EnumSet.noneOf(StackService.class));
  }

  /** The state of the services (none given: all). */
  public List<ServiceStatus> status(Set<StackService> services) {
    List<ServiceStatus> statuses = new ArrayList<>();
    for (StackService service : StackService.orAll(services)) {
      statuses.add(
          switch (service) {
            case SPARK -> spark.status();
            case HDFS -> hdfs.status();
            case POSTGRES -> postgres.status();
            case KAFKA -> kafka.status();
          });
    }
    return statuses;
  }

  /** {@link #status(Set)} of every service. */
  public List<ServiceStatus> status() {
    return status(EnumSet.noneOf(StackService.class));
  }

  private static void throwIfAny(List<String> failures) {
    if (!failures.isEmpty()) {
      throw new StackException(String.join(System.lineSeparator(), failures));
    }
  }
}
