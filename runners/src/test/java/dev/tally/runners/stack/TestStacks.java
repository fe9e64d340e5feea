package dev.tally.runners.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Stack settings and process checks shared by the stack tests. */
public final class TestStacks {
  private TestStacks() {}

  /**
   * A stack in {@code dir} on free ports (never the default ones, so a developer's running stack is left alone).
   * The test JVM's working directory is {@code runners/}, so the repository root is its parent.
   */
  public static StackSettings.Builder onFreePorts(Path dir) {
    return StackSettings.builder()
        .home(Path.of("").toAbsolutePath().getParent())
        .dir(dir)
        .freePorts()
        // Surefire's own classpath property: java.class.path may be a manifest-only jar deleted at exit.
        .daemonClasspath(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
  }

  /** True while this very process (same pid and start ticks) runs. */
  public static boolean stillRuns(ProcStat process) {
    return ProcStat.of(process.pid())
        .filter(now -> now.startTicks() == process.startTicks() && now.isRunning())
        .isPresent();
  }

  /** Every running process in the session {@code leader} started (the session id is the leader's pid). */
  static List<ProcStat> sessionOf(ProcStat leader) {
    return ProcStat.all().stream()
        .filter(ProcStat::isRunning)
        .filter(process -> process.sessionId() == leader.pid() && process.startTicks() >= leader.startTicks())
        .toList();
  }

  /** The running leader process of {@code process}'s pid file. */
  static Optional<ProcStat> leader(ManagedProcess process) {
    return process.running().flatMap(PidFile::process);
  }
}
