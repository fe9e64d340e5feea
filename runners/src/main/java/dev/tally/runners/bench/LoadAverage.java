package dev.tally.runners.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load, printed beside every benchmark figure: on a shared machine it says how much they are worth. */
final class LoadAverage {
  private LoadAverage() {}

  /** The 1, 5 and 15 minute load averages, from /proc/loadavg where there is one, else "unknown". */
  static String now() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
