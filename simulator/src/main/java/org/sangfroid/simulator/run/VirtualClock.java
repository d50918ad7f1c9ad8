package org.sangfroid.simulator.run;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulation's time: it moves only when the runner sets it, and the gateway, the virtual
 * agents and the models all read it, so a 7-day scenario takes seconds and every alarm carries
 * simulated times. Safe to read from any thread.
 */
public final class VirtualClock extends Clock {
  private final AtomicLong millis;

  public VirtualClock(Instant start) {
    this.millis = new AtomicLong(start.toEpochMilli());
  }

  /** Moves the clock to {@code epochMillis}; it never goes back. */
  public void set(long epochMillis) {
    millis.accumulateAndGet(epochMillis, Math::max);
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (zone.equals(ZoneOffset.UTC)) {
      return this;
    }
    throw new UnsupportedOperationException("Sangfroid works in UTC; format for people at the edges.");
  }
}
