package dev.tally.runners.stack;

import java.util.List;

/**
 * What {@code ./tally stack status} reports for one service.
 *
 * @param service the service
 * @param state whether it runs
 * @param pids the processes the stack started for it (empty for a PostgreSQL the stack did not start)
 * @param details one line each: URLs, ports, files, what is missing
 */
public record ServiceStatus(StackService service, State state, List<Long> pids, List<String> details) {

  /** How far a service is up. */
  public enum State {
    /** Every process runs and answers. */
    RUNNING,
    /** Some of it runs (e.g. a Master whose Workers died, or a process whose port does not answer). */
    PARTIAL,
    STOPPED,
    /** Cannot run here (e.g. no PostgreSQL server installed). */
    UNAVAILABLE;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
  }

  public ServiceStatus {
    pids = List.copyOf(pids);
    details = List.copyOf(details);
  }

  public boolean running() {
    return state == State.RUNNING;
  }

  /** {@code spark: running} and the details, indented. */
  public String describe() {
    StringBuilder text = new StringBuilder(service.cliName()).append(": ").append(state.label());
    for (String detail : details) {
      text.append(System.lineSeparator()).append("  ").append(detail);
    }
    return text.toString();
  }
}
