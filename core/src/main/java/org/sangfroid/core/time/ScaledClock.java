package org.sangfroid.core.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * A clock that runs {@code speed} times faster than real time from a starting instant, so the
 * simulator, an agent and a gateway sharing it see minutes pass in seconds while every
 * timestamp stays consistent between them. Speed 1 is real time (shifted to {@code start}).
 */
public final class ScaledClock extends Clock {
  private final Instant start;
  private final double speed;
  private final LongSupplier nanos;
  private final long startNanos;

  private ScaledClock(Instant start, double speed, LongSupplier nanos) {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed [" + speed + "] must be a positive number.");
    }
    this.start = start;
    this.speed = speed;
    this.nanos = nanos;
    this.startNanos = nanos.getAsLong();
  }

  /** Starts at {@code start} now, running {@code speed} times real time. */
  public static ScaledClock start(Instant start, double speed) {
    return new ScaledClock(start, speed, System::nanoTime);
  }

  /** For tests: the real time source is {@code nanos}. */
  static ScaledClock start(Instant start, double speed, LongSupplier nanos) {
    return new ScaledClock(start, speed, nanos);
  }

  /** How many times faster than real time this clock runs. */
  public double speed() {
    return speed;
  }

  @Override
  public long millis() {
    return start.toEpochMilli() + (long) ((nanos.getAsLong() - startNanos) * speed / 1_000_000d);
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
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
