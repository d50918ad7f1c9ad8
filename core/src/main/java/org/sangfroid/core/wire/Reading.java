package org.sangfroid.core.wire;

import org.sangfroid.core.check.Checks;

/**
 * One measurement of one probe.
 *
 * @param seq the agent's sequence number, strictly increasing over the agent's life, from 1
 * @param time measurement time, UTC epoch milliseconds (device clock)
 * @param unit the unit (fridge, freezer…) the probe watches
 * @param sensor the probe's id (a DS18B20's ROM id, for example)
 * @param celsius the temperature in °C when {@code quality} is OK, otherwise {@code NaN}
 * @param quality the driver's judgement of the reading
 * @param clockSynced false when the device clock was not yet synchronised (a Pi has no RTC)
 */
public record Reading(
    long seq, long time, String unit, String sensor, double celsius, Quality quality, boolean clockSynced) {

  public Reading {
    Checks.requireAtLeast("seq", seq, 1);
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

  /** True when this reading carries a valid temperature. */
  public boolean valid() {
    return quality == Quality.OK;
  }
}
