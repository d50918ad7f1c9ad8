package org.sangfroid.agent.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sangfroid.agent.sensor.bus.Pause;

/**
 * Time for fake chips: a {@link Pause} that returns at once and moves this clock forward
 * instead, so a chip that is still converting behaves as such when a driver does not wait.
 * Thread-safe.
 */
public final class FakeTime implements Pause {
  private long nanos;
  private final List<Duration> pauses = new ArrayList<>();

  @Override
  public synchronized void pause(Duration duration) {
    pauses.add(duration);
    nanos += duration.toNanos();
  }

  /** Moves the clock without a driver pausing (time passing between reads). */
  public synchronized void advance(Duration duration) {
    nanos += duration.toNanos();
  }

  /** Nanoseconds since the start. */
  public synchronized long nanos() {
    return nanos;
  }

  /** Every pause a driver made, in order. */
  public synchronized List<Duration> pauses() {
    return List.copyOf(pauses);
  }

  /** The sum of the pauses. */
  public synchronized Duration paused() {
    return pauses.stream().reduce(Duration.ZERO, Duration::plus);
  }
}
