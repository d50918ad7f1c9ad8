package org.sangfroid.agent.outbox;

import java.util.Optional;
import java.util.OptionalDouble;
import org.sangfroid.agent.clock.BootTime;
import org.sangfroid.agent.clock.Stamp;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;

/**
 * A reading before the outbox numbers it: the outbox turns it into a {@link Reading} with the
 * next sequence number.
 *
 * @param time measurement time, UTC epoch milliseconds
 * @param celsius °C when {@code quality} is OK, otherwise {@code NaN}; the calibrated value when
 *     the probe has a calibration
 * @param raw the probe's value before calibration, when a calibration changed it
 * @param bootTime for a reading taken before the clock was synchronised, the monotonic time it
 *     was taken at, so the outbox can correct {@code time} later
 */
public record Measurement(long time, String unit, String sensor, double celsius, Quality quality,
    boolean clockSynced, OptionalDouble raw, Optional<BootTime> bootTime) {
  public Measurement {
    Checks.requireAtLeast("time", time, 0);
    Checks.requireId("unit", unit);
    Checks.requireId("sensor", sensor);
    Checks.requireNonNull("quality", quality);
    Checks.requireNonNull("raw", raw);
    Checks.requireNonNull("bootTime", bootTime);
    Checks.require(bootTime.isEmpty() || !clockSynced, "bootTime", bootTime,
        "be given only for readings taken before the clock was synchronised");
    if (quality == Quality.OK) {
      Checks.requireFinite("celsius", celsius);
      raw.ifPresent(r -> Checks.requireFinite("raw", r));
    } else {
      celsius = Double.NaN;
      raw = OptionalDouble.empty();
    }
  }

  /** A measurement without calibration or monotonic time. */
  public Measurement(long time, String unit, String sensor, double celsius, Quality quality, boolean clockSynced) {
    this(time, unit, sensor, celsius, quality, clockSynced, OptionalDouble.empty(), Optional.empty());
  }

  /** A measurement taken at {@code stamp}. */
  public static Measurement at(Stamp stamp, String unit, String sensor, double celsius, Quality quality,
      OptionalDouble raw) {
    return new Measurement(stamp.time(), unit, sensor, celsius, quality, stamp.synced(), raw, stamp.bootTime());
  }

  /** This measurement numbered {@code seq}. */
  public Reading withSeq(long seq) {
    return new Reading(seq, time, unit, sensor, celsius, quality, clockSynced, raw, false);
  }
}
