package org.sangfroid.agent.clock;

/**
 * A monotonic clock: nanoseconds that only ever increase, whatever happens to the wall clock.
 * The time source for measuring elapsed time; tests advance a fake by hand.
 */
@FunctionalInterface
public interface Ticker {

  /**
   * {@link System#nanoTime()}. On Linux the JVM reads {@code CLOCK_MONOTONIC}, which counts from
   * boot, is the same for every process, and is never stepped (NTP only slews its rate).
   */
  Ticker SYSTEM = System::nanoTime;

  /** Nanoseconds since an arbitrary origin, fixed for the boot on Linux. */
  long nanos();
}
