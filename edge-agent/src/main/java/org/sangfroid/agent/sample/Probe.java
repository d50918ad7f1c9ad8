package org.sangfroid.agent.sample;

import org.sangfroid.agent.sensor.TemperatureSensor;
import org.sangfroid.core.check.Checks;

/** A sensor and the unit it watches. */
public record Probe(String unit, TemperatureSensor sensor) {
  public Probe {
    Checks.requireId("unit", unit);
    Checks.requireNonNull("sensor", sensor);
  }
}
