package org.sangfroid.core.excursion;

/**
 * What the engine needs of a reading.
 *
 * @param time measurement time, epoch ms
 * @param celsius the temperature, meaningful only when {@code valid}
 * @param valid false for a probe fault (no temperature)
 */
public record Sample(long time, double celsius, boolean valid) {
  /** A valid temperature at {@code time}. */
  public static Sample of(long time, double celsius) {
    return new Sample(time, celsius, true);
  }

  /** A reading without a temperature (a probe fault). */
  public static Sample fault(long time) {
    return new Sample(time, Double.NaN, false);
  }
}
