package org.sangfroid.agent.publish;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.sangfroid.core.check.Checks;

/**
 * Reconnect delays: {@code initial}, doubling after each failure up to {@code max}, plus up to
 * 25 % random jitter so a fleet of agents does not reconnect in lockstep after a broker
 * restart. Not thread-safe: one reconnect loop owns it.
 */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;
  private int failures;

  /** @param random values in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble} */
  Backoff(Duration initial, Duration max, DoubleSupplier random) {
    Checks.require(initial.toMillis() >= 1, "initial", initial, "be at least 1 ms");
    Checks.require(max.compareTo(initial) >= 0, "max", max, "be at least initial (" + initial + ")");
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  Duration next() {
    long base = initial.toMillis();
    for (int i = 0; i < failures && base < max.toMillis(); i++) {
      base *= 2;
    }
    base = Math.min(base, max.toMillis());
    failures++;
    long jitter = (long) (base * 0.25 * random.getAsDouble());
    return Duration.ofMillis(base + jitter);
  }

  /** After a successful connect: start again from {@code initial}. */
  void reset() {
    failures = 0;
  }
}
