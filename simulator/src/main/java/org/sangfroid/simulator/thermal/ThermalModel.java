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
  private final ThermalParameters parameters;
  private final double ambient;
  private final Random random;
  private double temperature;
  private boolean running;
  private double reading;

  /**
   * @param parameters the unit's constants
   * @param ambient room temperature around the unit, °C
   * @param random the source of every random draw; seed it for reproducible runs
   */
  public ThermalModel(ThermalParameters parameters, double ambient, Random random) {
    this.parameters = Checks.requireNonNull("parameters", parameters);
    this.ambient = Checks.requireFinite("ambient", ambient);
    this.random = Checks.requireNonNull("random", random);
    double h = parameters.hysteresis();
    this.temperature = parameters.setPoint() - h + 2 * h * random.nextDouble();
    this.running = random.nextBoolean();
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
    Checks.require(!dt.isNegative() && !dt.isZero(), "dt", dt, "be positive");
    double seconds = dt.toNanos() / 1e9;
    double tau = (doorOpen ? parameters.doorTau() : parameters.tau()).toNanos() / 1e9;
    double drive = running && actuatorWorks ? parameters.actuator().direction() * parameters.actuatorRate() : 0;
    double equilibrium = ambient + drive * tau;
    temperature = equilibrium + (temperature - equilibrium) * Math.exp(-seconds / tau);
    regulate();
    reading = measure();
  }

  private void regulate() {
    int d = parameters.actuator().direction();
    if (d * (parameters.switchOnAt() - temperature) >= 0) {
      running = true;
    } else if (d * (temperature - parameters.switchOffAt()) >= 0) {
      running = false;
    }
  }

  private double measure() {
    double noisy = temperature + parameters.noise() * random.nextGaussian();
    double r = parameters.resolution();
    return Math.round(noisy / r) * r;
  }

  /** The true temperature of the probe's surroundings, °C, without noise or rounding. */
  public double temperature() {
    return temperature;
  }

  /** What the probe read at the end of the last step, °C: noisy and rounded to the resolution. */
  public double reading() {
    return reading;
  }

  /** Whether the thermostat is calling for the compressor or heater. */
  public boolean running() {
    return running;
  }

  /** The room temperature around the unit, °C. */
  public double ambient() {
    return ambient;
  }

  /** The unit's constants. */
  public ThermalParameters parameters() {
    return parameters;
  }
}
