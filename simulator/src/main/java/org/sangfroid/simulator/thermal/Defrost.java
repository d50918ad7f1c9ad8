package org.sangfroid.simulator.thermal;

import java.time.Duration;
import org.sangfroid.core.check.Checks;

/**
 * An automatic defrost cycle: every {@code every}, for {@code length}, the compressor stops and a
 * heater warms the evaporator (and the air) by {@code heaterRate} °C per second.
 *
 * @param every time between the starts of two defrosts (the first at {@code every} after the
 *     simulation starts)
 * @param length how long each defrost lasts (shorter than {@code every})
 * @param heaterRate how fast the defrost heater alone warms the air, °C per second (&gt; 0)
 */
public record Defrost(Duration every, Duration length, double heaterRate) {
  public Defrost {
    Checks.requireNonNull("every", every);
    Checks.requireNonNull("length", length);
    Checks.require(length.toMillis() > 0, "length", length, "be positive");
    Checks.require(every.compareTo(length) > 0, "every", every, "be longer than length (" + length + ")");
    Checks.require(heaterRate > 0 && Double.isFinite(heaterRate), "heaterRate", heaterRate, "be above 0 °C/s");
  }

  /** Whether a defrost is under way {@code elapsed} after the start. */
  public boolean activeAt(Duration elapsed) {
    return activeAt(elapsed.toNanos());
  }

  /** {@link #activeAt(Duration)} with {@code elapsedNanos}: a fleet asks millions of times. */
  public boolean activeAt(long elapsedNanos) {
    if (elapsedNanos < every.toNanos()) {
      return false;
    }
    return Math.floorDiv(elapsedNanos, 1_000_000L) % every.toMillis() < length.toMillis();
  }
}
