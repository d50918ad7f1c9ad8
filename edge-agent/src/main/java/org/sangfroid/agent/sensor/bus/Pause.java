package org.sangfroid.agent.sensor.bus;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits while a chip settles or converts. Part of the time source, so tests run drivers
 * without waiting (and can check how long a driver would have waited).
 */
@FunctionalInterface
public interface Pause {

  /** Sleeps the calling thread: for production. */
  Pause SLEEP = d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());

  /**
   * Returns after {@code duration} (or later).
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void pause(Duration duration) throws InterruptedException;
}
