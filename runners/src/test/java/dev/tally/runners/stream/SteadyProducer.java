package dev.tally.runners.stream;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Produces {@link StreamTestEvents} in the background, {@code perTick} records every {@code tick}, until
 * {@link #stop()}. A send waits for the broker's acknowledgement, so while the broker is away the producer simply
 * waits (the Kafka client retries for up to two minutes) and then goes on: nothing is skipped.
 */
final class SteadyProducer implements AutoCloseable {
  private final AtomicBoolean producing = new AtomicBoolean(true);
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Thread thread;

  SteadyProducer(StreamTestServices services, StreamTestEvents events, int perTick, Duration tick) {
    thread = new Thread(() -> {
      try {
        while (producing.get()) {
          services.produce(events.next(perTick));
          Thread.sleep(tick.toMillis());
        }
      } catch (Exception e) {
        failure.set(e);
      }
    }, "test-producer");
    thread.start();
  }

  /** Stops after the records being sent are acknowledged; rethrows what made the producer fail, if anything. */
  void stop() throws Exception {
    producing.set(false);
    thread.join();
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
