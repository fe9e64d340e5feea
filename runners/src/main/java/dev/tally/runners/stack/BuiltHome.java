package dev.tally.runners.stack;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A folder of jars that a runners module builds with Maven (the Spark home's {@code jars/}, the Kafka home's
 * {@code libs/}): what a jar's name says about the build, and one message naming the build command when it is
 * missing.
 */
final class BuiltHome {
  private BuiltHome() {}

  /**
   * Group 1 of {@code name} on the first jar in {@code folder} that matches {@code glob} and {@code name}, e.g. a
   * version.
   *
   * @param what the home's name for the message, e.g. {@code Spark home}
   * @param jar the jar it lacks, for the message, e.g. {@code spark-core jar}
   * @throws StackException if there is no such jar: the home is not built
   */
  static String requireJar(StackSettings settings, Path folder, String glob, Pattern name, String what, String jar) {
    if (Files.isDirectory(folder)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, glob)) {
        for (Path file : files) {
          Matcher matcher = name.matcher(file.getFileName().toString());
          if (matcher.matches()) {
            return matcher.group(1);
          }
        }
      } catch (IOException e) {
        throw new StackException("cannot list " + folder + ": " + e.getMessage(), e);
      }
    }
    throw new StackException(
        "the " + what + " is not built (no " + jar + " in " + folder + "): build it with"
            + " `cd " + settings.home() + " && mvn -o -B -q install -DskipTests` (./tally does that on first use)");
  }
}
