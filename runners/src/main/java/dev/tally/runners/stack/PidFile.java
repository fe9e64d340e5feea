package dev.tally.runners.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What the stack knows about a process it started: its pid and start time (so a later process that reuses the pid
 * is never mistaken for it), and facts for {@code status} and clients, such as its URL.
 *
 * @param pid the process id
 * @param startTicks its start time in clock ticks after boot ({@link ProcStat#startTicks()})
 * @param startedAt when it was started, for people
 * @param info facts about the running service, e.g. {@code url=spark://127.0.0.1:7077}
 */
public record PidFile(long pid, long startTicks, Instant startedAt, Map<String, String> info) {
  private static final String INFO_PREFIX = "info.";

  public PidFile {
    info = Map.copyOf(info);
  }

  /** The pid file at {@code path}; empty if there is none or it is unreadable (a torn write counts as none). */
  public static Optional<PidFile> read(Path path) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    try {
      Map<String, String> info = new TreeMap<>();
      for (String key : properties.stringPropertyNames()) {
        if (key.startsWith(INFO_PREFIX)) {
          info.put(key.substring(INFO_PREFIX.length()), properties.getProperty(key));
        }
      }
      return Optional.of(
          new PidFile(
              Long.parseLong(properties.getProperty("pid")),
              Long.parseLong(properties.getProperty("start-ticks")),
              Instant.parse(properties.getProperty("started-at")),
              info));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Writes atomically (a temporary file renamed into place), so readers never see half a file. */
  public void write(Path path) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("pid", Long.toString(pid));
    properties.setProperty("start-ticks", Long.toString(startTicks));
    properties.setProperty("started-at", startedAt.toString());
    info.forEach((key, value) -> properties.setProperty(INFO_PREFIX + key, value));
    StringWriter text = new StringWriter();
    properties.store(text, "written by ./tally stack; the process is this pid only while its start-ticks match");
    Files.createDirectories(path.getParent());
    Path temporary = path.resolveSibling("." + path.getFileName() + ".tmp");
    Files.writeString(temporary, text.toString(), StandardCharsets.UTF_8);
    Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The process this file names, if it is still that process and still running. */
  public Optional<ProcStat> process() {
    return ProcStat.of(pid).filter(process -> process.startTicks() == startTicks && process.isRunning());
  }
}
