package org.sangfroid.agent.sensor;

import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;

/**
 * What a probe said: a temperature in °C when {@code quality} is {@link Quality#OK}, otherwise
 * {@code NaN} and the reason.
 */
public record SensorReading(double celsius, Quality quality) {
  public SensorReading {
    Checks.requireNonNull("quality", quality);
    if (quality == Quality.OK) {
      Checks.requireFinite("celsius", celsius);
    } else {
      celsius = Double.NaN;
    }
  }

  /** A valid temperature. */
  public static SensorReading ok(double celsius) {
    return new SensorReading(celsius, Quality.OK);
  }

  /** A reading without a usable value; {@code quality} says why. */
  public static SensorReading fault(Quality quality) {
    return new SensorReading(Double.NaN, quality);
  }
}
