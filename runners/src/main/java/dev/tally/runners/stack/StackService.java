package dev.tally.runners.stack;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The services {@code ./tally stack} runs on this machine. */
public enum StackService {
  SPARK,
  HDFS,
  POSTGRES,
  KAFKA;

  /** The name on the command line and in messages: {@code spark}, {@code hdfs}, {@code postgres}, {@code kafka}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The given services, or all of them when none is given (what {@code ./tally stack up} means). */
  public static Set<StackService> orAll(Iterable<StackService> services) {
    Set<StackService> chosen = EnumSet.noneOf(StackService.class);
    services.forEach(chosen::add);
    return chosen.isEmpty() ? EnumSet.allOf(StackService.class) : chosen;
  }
}
