package org.sangfroid.agent.outbox;

import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;

/**
 * A reading before the outbox numbers it: the outbox turns it into a {@link Reading} with the
 * next sequence number.
 *
 * @param time measurement time, UTC epoch milliseconds
 * @param celsius °C when {@code quality} is OK, otherwise {@code NaN}
 */
public record Measurement(
    long time, String unit, String sensor, double celsius, Quality quality, boolean clockSynced) {
  public Measurement {
    Checks.requireAtLeast("time", time, 0);
    Checks.requireId("unit", unit);
    Checks.requireId("sensor", sensor);
    Checks.requireNonNull("quality", quality);
    if (quality == Quality.OK) {
      Checks.requireFinite("celsius", celsius);
    } else {
      celsius = Double.NaN;
    }
  }

  /** This measurement numbered {@code seq}. */
  public Reading withSeq(long seq) {
    return new Reading(seq, time, unit, sensor, celsius, quality, clockSynced);
  }
}
