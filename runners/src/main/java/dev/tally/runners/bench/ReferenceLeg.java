package dev.tally.runners.bench;

import dev.tally.runners.compare.Leg;
import dev.tally.runners.compare.LegEnvironment;
import java.nio.file.Path;
import java.util.List;

/**
 * A reference implementation of the pipeline's counts in a JVM of its own, on the launcher's classpath: the native
 * Spark job or the plain Java loop.
 *
 * @param name its name in tables and on the command line
 * @param mainClass its main class, taking {@code --input=GLOB --output=DIR}
 * @param environment how its JVM is started
 */
public record ReferenceLeg(String name, String mainClass, LegEnvironment environment) implements Leg {
  public static final String NATIVE_SPARK = "native-spark";
  public static final String JAVA_LOOP = "java-loop";

  public static ReferenceLeg nativeSpark(LegEnvironment environment) {
    return new ReferenceLeg(NATIVE_SPARK, NativeSparkCount.class.getName(), environment);
  }

  public static ReferenceLeg javaLoop(LegEnvironment environment) {
    return new ReferenceLeg(JAVA_LOOP, SingleThreadCount.class.getName(), environment);
  }

  @Override
  public ProcessBuilder process(String input, Path output) {
    return environment.java(environment.launcherClasspath(), mainClass, List.of("--input=" + input, "--output=" + output));
  }
}
