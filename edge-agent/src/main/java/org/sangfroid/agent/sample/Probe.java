package org.sangfroid.agent.sample;

import java.util.Optional;
import java.util.OptionalDouble;
import org.sangfroid.agent.calibration.Calibration;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.agent.sensor.TemperatureSensor;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;

/** A sensor, the unit it watches, and its calibration if it has one. */
public record Probe(String unit, TemperatureSensor sensor, Optional<Calibration> calibration) {
  public Probe {
    Checks.requireId("unit", unit);
    Checks.requireNonNull("sensor", sensor);
    Checks.requireNonNull("calibration", calibration);
  }

  /** A probe without calibration. */
  public Probe(String unit, TemperatureSensor sensor) {
    this(unit, sensor, Optional.empty());
  }

  /**
   * {@code r} as the rules must see it: a valid reading corrected by the calibration, with the
   * raw value kept when the correction changed it.
   */
  public Corrected correct(SensorReading r) {
    return correct(r, calibration);
  }

  /** {@code r} corrected by {@code calibration}, as {@link #correct(SensorReading)}. */
  public static Corrected correct(SensorReading r, Optional<Calibration> calibration) {
    if (r.quality() != Quality.OK || calibration.isEmpty()) {
      return new Corrected(r, OptionalDouble.empty());
    }
    double corrected = calibration.get().apply(r.celsius());
    return corrected == r.celsius() ? new Corrected(r, OptionalDouble.empty())
        : new Corrected(SensorReading.ok(corrected), OptionalDouble.of(r.celsius()));
  }

  /** A reading after calibration, and the raw value when they differ. */
  public record Corrected(SensorReading reading, OptionalDouble raw) {}
}
