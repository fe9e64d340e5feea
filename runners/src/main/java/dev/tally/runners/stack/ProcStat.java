package dev.tally.runners.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One line of Linux's {@code /proc/PID/stat}: what identifies a process across time. The start time in clock
 * ticks since boot never changes for a process and differs for a later process that reuses its pid (unlike a
 * wall-clock start time, which moves when the clock is adjusted), so it is what pid files compare.
 *
 * @param pid the process id
 * @param state R, S, D, Z (zombie: exited, not yet reaped), ...
 * @param parentPid the parent's pid
 * @param sessionId the session; a process started with setsid leads a session whose id is its pid, and the
 *     processes it starts (Spark executors) stay in it
 * @param startTicks start time in clock ticks after boot
 */
public record ProcStat(long pid, char state, long parentPid, long sessionId, long startTicks) {
  private static final Path PROC = Path.of("/proc");

  /** The process with this pid, if one exists (zombies included). */
  public static Optional<ProcStat> of(long pid) {
    try {
      return Optional.of(parse(Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Every process now. */
  public static List<ProcStat> all() {
    List<ProcStat> processes = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, path -> path.getFileName().toString().matches("[0-9]+"))) {
      for (Path entry : entries) {
        of(Long.parseLong(entry.getFileName().toString())).ifPresent(processes::add);
      }
    } catch (IOException e) {
      throw new StackException("cannot list processes in /proc: " + e.getMessage(), e);
    }
    return processes;
  }

  /**
   * False when the process has exited, even if its parent has not reaped it yet. A zombie main thread is not
   * enough: while a JVM exits, its main thread can show Z while other threads still hold its sockets open, so a
   * process counts as exited only when no thread of it is left.
   */
  public boolean isRunning() {
    if (state == 'X') {
      return false;
    }
    return state != 'Z' || otherThreadsAlive();
  }

  private boolean otherThreadsAlive() {
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("task"))) {
      for (Path task : tasks) {
        if (!task.getFileName().toString().equals(Long.toString(pid))) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false; // gone
    }
  }

  /** True if /proc is there to read: the stack runs on Linux only. */
  public static boolean available() {
    return Files.isReadable(PROC.resolve("self/stat"));
  }

  static ProcStat parse(String line) {
    // "pid (comm) state ppid pgrp session tty_nr ... starttime(22nd) ...": comm may hold spaces and parentheses.
    int close = line.lastIndexOf(')');
    long pid = Long.parseLong(line.substring(0, line.indexOf(' ')));
    String[] fields = line.substring(close + 2).split(" ");
    // fields[0] is field 3 of the line (state), so field N is fields[N - 3].
    return new ProcStat(
        pid, fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[3]), Long.parseLong(fields[19]));
  }
}
