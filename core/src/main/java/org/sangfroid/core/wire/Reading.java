package org.sangfroid.core.wire;

import java.util.OptionalDouble;
import org.sangfroid.core.check.Checks;

/**
 * One measurement of one probe.
 *
 * @param seq the agent's sequence number, strictly increasing over the agent's life, from 1
 * @param time measurement time, UTC epoch milliseconds (device clock)
 * @param unit the unit (fridge, freezer…) the probe watches
 * @param sensor the probe's id (a DS18B20's ROM id, for example)
 * @param celsius the temperature in °C when {@code quality} is OK, otherwise {@code NaN}; with a
 *     calibration, the corrected value: the one rules judge
 * @param quality the driver's judgement of the reading
 * @param clockSynced false when {@code time} may be far off: the device clock was not yet
 *     synchronised (a Pi has no RTC) and the agent could not correct it since
 * @param raw what the probe said before its calibration corrected it; empty when no calibration
 *     changed the value (no calibration, a zero correction, or no valid reading)
 * @param timeCorrected true when the device clock was not synchronised at measurement time and
 *     the agent recomputed {@code time} from its monotonic clock once it was (then
 *     {@code clockSynced} is true)
 */
public record Reading(long seq, long time, String unit, String sensor, double celsius, Quality quality,
    boolean clockSynced, OptionalDouble raw, boolean timeCorrected) {

  public Reading {
    Checks.requireAtLeast("seq", seq, 1);
    Checks.requireAtLeast("time", time, 0);
    Checks.requireId("unit", unit);
    Checks.requireId("sensor", sensor);
    Checks.requireNonNull("quality", quality);
    Checks.requireNonNull("raw", raw);
    if (quality == Quality.OK) {
      Checks.requireFinite("celsius", celsius);
      raw.ifPresent(r -> Checks.requireFinite("raw", r));
    } else {
      celsius = Double.NaN;
      raw = OptionalDouble.empty();
    }
  }

  /** A reading without calibration and with its time as measured. */
  public Reading(long seq, long time, String unit, String sensor, double celsius, Quality quality,
      boolean clockSynced) {
    this(seq, time, unit, sensor, celsius, quality, clockSynced, OptionalDouble.empty(), false);
  }

  /** True when this reading carries a valid temperature. */
  public boolean valid() {
    return quality == Quality.OK;
  }
}
