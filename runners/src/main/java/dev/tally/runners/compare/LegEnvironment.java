package dev.tally.runners.compare;

import dev.tally.runners.stack.StackSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the legs' processes are started with: the stack (Java, its Java 17 flags, the Spark home and bundled jar for
 * spark-submit), the launcher's classpath (every runner but Flink), and the heap of each process.
 *
 * @param settings the local stack's settings; also where the repository is
 * @param launcherClasspath the classpath with Tally, the Direct and Spark runners and Spark (the launcher's own)
 * @param heap the maximum heap of each leg's JVM, e.g. {@code 2g}
 * @param javaOptions further options for each leg's JVM, e.g. a JFR recording
 */
public record LegEnvironment(StackSettings settings, String launcherClasspath, String heap, List<String> javaOptions) {

  public LegEnvironment {
    javaOptions = List.copyOf(javaOptions);
  }

  public LegEnvironment(StackSettings settings, String launcherClasspath, String heap) {
    this(settings, launcherClasspath, heap, List.of());
  }

  /** Where {@code runners/flink-classpath} writes the Flink runner's classpath. */
  public Path flinkClasspathFile() {
    return settings.home().resolve("runners/flink-classpath/target/flink-classpath.txt");
  }

  /**
   * The Flink runner's classpath: the pipelines, Flink and no Spark (Flink's Kryo 2 and Spark's Kryo 4 share class
   * names, so they get a JVM each).
   */
  public String flinkClasspath() {
    Path file = flinkClasspathFile();
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new CompareException(
          "the Flink runner's classpath " + file + " is not built: build it with `cd " + settings.home()
              + " && mvn -q -B install -DskipTests` (./tally does that on first use)");
    }
  }

  /** {@code java -Xmx<heap> <Java 17 flags> <javaOptions> -cp <classpath> <mainClass> <args>}. */
  public ProcessBuilder java(String classpath, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(settings.javaExecutable().toString());
    command.add("-Xmx" + heap);
    command.addAll(settings.javaFlags());
    command.addAll(javaOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("SPARK_LOCAL_IP", StackSettings.HOST);
    return builder;
  }
}
