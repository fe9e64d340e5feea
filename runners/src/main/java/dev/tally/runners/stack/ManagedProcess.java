package dev.tally.runners.stack;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A background process of the stack: started detached (its own session, via {@code setsid}, so it outlives the
 * CLI and the terminal), stdin from /dev/null, stdout and stderr appended to {@code <dir>/logs/<name>.log}, and
 * remembered in {@code <dir>/run/<name>.pid} with its start time. Stopping it also stops what it started (Spark
 * executors), found as the members of its session.
 */
public final class ManagedProcess {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(5);
  private static final int TAIL_BYTES = 64 * 1024;
  private static final int MAX_LINE = 500;

  private final String name;
  private final Path pidFile;
  private final Path logFile;

  public ManagedProcess(StackSettings settings, String name) {
    this.name = name;
    this.pidFile = settings.pidDir().resolve(name + ".pid");
    this.logFile = settings.logsDir().resolve(name + ".log");
  }

  public String name() {
    return name;
  }

  public Path logFile() {
    return logFile;
  }

  public Path pidFile() {
    return pidFile;
  }

  /** The pid file, if its process is still running (a stale file, whose process is gone, gives empty). */
  public Optional<PidFile> running() {
    return PidFile.read(pidFile).filter(file -> file.process().isPresent());
  }

  /**
   * Starts {@code command} detached and writes the pid file.
   *
   * @param info facts stored in the pid file, e.g. the service's URL
   * @throws StackException if the process cannot be started or exits at once
   */
  public PidFile start(List<String> command, Map<String, String> environment, Path workingDir, Map<String, String> info) {
    requireLinux();
    List<String> detached = new ArrayList<>();
    detached.add("setsid");
    detached.addAll(command);
    Process process;
    try {
      Files.createDirectories(logFile.getParent());
      Files.createDirectories(workingDir);
      Files.writeString(
          logFile,
          String.format("%n=== %s ./tally stack starts %s: %s%n", Instant.now(), name, abbreviated(command)),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder builder =
          new ProcessBuilder(detached)
              .directory(workingDir.toFile())
              .redirectInput(new File("/dev/null"))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectErrorStream(true);
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new StackException("cannot start " + name + " (" + e.getMessage() + "); the stack needs Linux with setsid (util-linux)", e);
    }
    ProcStat stat = awaitOwnSession(process);
    PidFile file = new PidFile(stat.pid(), stat.startTicks(), Instant.now(), info);
    try {
      file.write(pidFile);
    } catch (IOException e) {
      process.destroyForcibly();
      throw new StackException("cannot write " + pidFile + ": " + e.getMessage(), e);
    }
    return file;
  }

  /**
   * The running processes this one stands for: itself and the members of its session started after it (for a
   * Spark Worker, its executors). Found even when the leader has died: a session id cannot be taken again while
   * any process is still in that session's process group. The leader comes first when it runs.
   */
  public List<ProcStat> processes() {
    Optional<PidFile> file = PidFile.read(pidFile);
    if (file.isEmpty()) {
      return List.of();
    }
    long leader = file.get().pid();
    long since = file.get().startTicks();
    Optional<ProcStat> holder = ProcStat.of(leader);
    if (holder.isPresent() && holder.get().startTicks() != since && holder.get().sessionId() == leader) {
      // The pid now leads a new session of another process: then none of ours is left in a session of that id.
      return List.of();
    }
    return ProcStat.all().stream()
        .filter(ProcStat::isRunning)
        .filter(process -> process.sessionId() == leader && process.startTicks() >= since)
        .sorted(Comparator.comparing((ProcStat process) -> process.pid() != leader).thenComparingLong(ProcStat::pid))
        .toList();
  }

  /**
   * Stops the process and the rest of its session: SIGTERM, then SIGKILL after {@code timeout}. Then removes the
   * pid file.
   *
   * @return true if anything was running
   */
  public boolean stop(Duration timeout) {
    Optional<PidFile> file = PidFile.read(pidFile);
    if (file.isEmpty()) {
      return false;
    }
    Optional<ProcStat> leader = file.get().process();
    boolean wasRunning = leader.isPresent();
    // The leader first: a Spark Worker stops its executors itself on SIGTERM.
    leader.ifPresent(process -> terminate(List.of(process), timeout));
    List<ProcStat> rest = processes();
    if (!rest.isEmpty()) {
      wasRunning = true;
      terminate(rest, timeout);
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + pidFile, e);
    }
    return wasRunning;
  }

  /** The last {@code lines} lines of the log, for error messages. */
  public String logTail(int lines) {
    if (!Files.isRegularFile(logFile)) {
      return "(no log at " + logFile + ")";
    }
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long start = Math.max(0, file.length() - TAIL_BYTES);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n"));
      return all.subList(Math.max(0, all.size() - lines), all.size()).stream()
          .map(line -> line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + " ..." : line)
          .collect(Collectors.joining(System.lineSeparator()));
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e.getMessage() + ")";
    }
  }

  /** The command for the log, with a long classpath shortened to its entry count. */
  private static String abbreviated(List<String> command) {
    return command.stream()
        .map(arg -> arg.length() > MAX_LINE ? "<" + arg.split(File.pathSeparator).length + " classpath entries>" : arg)
        .collect(Collectors.joining(" "));
  }

  /** SIGTERM to each, wait for all, SIGKILL to any left, wait again. */
  private void terminate(List<ProcStat> processes, Duration timeout) {
    processes.forEach(process -> signal(process, false));
    if (!awaitExit(processes, timeout)) {
      processes.forEach(process -> signal(process, true));
      if (!awaitExit(processes, timeout)) {
        throw new StackException(
            "could not stop " + name + ": pids " + processes.stream().map(ProcStat::pid).toList()
                + " survive SIGKILL; check them with ps");
      }
    }
  }

  private static void signal(ProcStat process, boolean kill) {
    if (!isSame(process)) {
      return;
    }
    ProcessHandle.of(process.pid()).ifPresent(handle -> {
      if (kill) {
        handle.destroyForcibly();
      } else {
        handle.destroy();
      }
    });
  }

  private static boolean awaitExit(List<ProcStat> processes, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (processes.stream().anyMatch(ManagedProcess::isSame)) {
      if (Instant.now().isAfter(deadline)) {
        return false;
      }
      sleep(POLL);
    }
    return true;
  }

  /** True while the pid still belongs to this very process and it runs. */
  private static boolean isSame(ProcStat process) {
    return ProcStat.of(process.pid())
        .filter(now -> now.startTicks() == process.startTicks() && now.isRunning())
        .isPresent();
  }

  /**
   * Waits until the child leads its own session: then setsid has run and exec'd the command, in the same process
   * (setsid forks only when its caller leads a process group, and a JVM's child does not).
   */
  private ProcStat awaitOwnSession(Process process) {
    Instant deadline = Instant.now().plus(SESSION_TIMEOUT);
    while (true) {
      Optional<ProcStat> stat = ProcStat.of(process.pid()).filter(ProcStat::isRunning);
      if (stat.isPresent() && stat.get().sessionId() == process.pid()) {
        return stat.get();
      }
      if (stat.isEmpty() || !process.isAlive()) {
        throw new StackException(name + " exited at once. Last lines of " + logFile + ":" + System.lineSeparator() + logTail(20));
      }
      if (Instant.now().isAfter(deadline)) {
        process.destroyForcibly();
        throw new StackException(name + " did not start in a session of its own (setsid); pid " + process.pid());
      }
      sleep(Duration.ofMillis(10));
    }
  }

  private static void requireLinux() {
    if (!ProcStat.available()) {
      throw new StackException("./tally stack runs on Linux only (it needs /proc and setsid)");
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted", e);
    }
  }
}
