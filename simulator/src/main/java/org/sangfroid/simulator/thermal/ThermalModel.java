package org.sangfroid.simulator.thermal;

import java.time.Duration;
import java.util.Random;
import org.sangfroid.core.check.Checks;

/**
 * One storage unit's temperature, stepped in simulated time (see {@link ThermalParameters} for
 * the equations). Not thread-safe; it never reads a clock: the caller says how long each step
 * is and whether the door is open or the actuator has failed.
 *
 * <p>All randomness comes from the {@link Random} given at construction: the initial
 * temperature (uniform within the thermostat band), the initial actuator state and one Gaussian
 * draw per step for the probe's noise. The same seed and the same steps give the same readings.
 */
public final class ThermalModel {
  private final double ambient;
  private final Random random;
  private final Cabinet cabinet;
  private double reading;

  /**
   * @param parameters the unit's constants
   * @param ambient room temperature around the unit, °C
   * @param random the source of every random draw; seed it for reproducible runs
   */
  public ThermalModel(ThermalParameters parameters, double ambient, Random random) {
    Checks.requireNonNull("parameters", parameters);
    this.ambient = Checks.requireFinite("ambient", ambient);
    this.random = Checks.requireNonNull("random", random);
    double h = parameters.hysteresis();
    double start = parameters.setPoint() - h + 2 * h * random.nextDouble();
    this.cabinet = new Cabinet(parameters, start, random.nextBoolean());
    this.reading = measure();
  }

  /**
   * Advances the model by {@code dt}, then lets the thermostat react and the probe read.
   *
   * @param dt how long the step lasts in simulated time (positive)
   * @param doorOpen whether the door is open during the whole step ({@code doorTau} applies)
   * @param actuatorWorks false while the compressor or heater has failed: the thermostat may
   *     still call for it, but it does nothing
   */
  public void step(Duration dt, boolean doorOpen, boolean actuatorWorks) {
    cabinet.step(dt, new Cabinet.Conditions(ambient, doorOpen ? 1 : 0, actuatorWorks, 0));
    reading = measure();
  }

  private double measure() {
    ThermalParameters p = cabinet.parameters();
    double noisy = cabinet.temperature() + p.noise() * random.nextGaussian();
    double r = p.resolution();
    return Math.round(noisy / r) * r;
  }

  /** The true temperature of the probe's surroundings, °C, without noise or rounding. */
  public double temperature() {
    return cabinet.temperature();
  }

  /** What the probe read at the end of the last step, °C: noisy and rounded to the resolution. */
  public double reading() {
    return reading;
  }

  /** Whether the thermostat is calling for the compressor or heater. */
  public boolean running() {
    return cabinet.running();
  }

  /** The room temperature around the unit, °C. */
  public double ambient() {
    return ambient;
  }

  /** The unit's constants. */
  public ThermalParameters parameters() {
    return cabinet.parameters();
  }
}
