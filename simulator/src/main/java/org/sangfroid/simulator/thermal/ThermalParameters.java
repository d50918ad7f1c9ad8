package org.sangfroid.simulator.thermal;

import java.time.Duration;
import org.sangfroid.core.check.Checks;

/**
 * The constants of one unit's first-order thermal model.
 *
 * <p>Between two steps the temperature {@code T} of the probe's surroundings obeys
 *
 * <pre>
 *   dT/dt = (ambient - T) / tau'  +  d * actuatorRate * running
 * </pre>
 *
 * where {@code tau'} is {@link #tau()} with the door closed and {@link #doorTau()} with it open,
 * {@code d} is the actuator's {@linkplain Actuator#direction() direction} and {@code running} is 1
 * while the thermostat runs a working actuator. Each step is solved exactly (exponential
 * relaxation toward {@code ambient + d * actuatorRate * tau'}), so the result does not depend
 * on the step size as Euler integration would. The thermostat is bang-bang with a dead band of
 * ±{@link #hysteresis()} around {@link #setPoint()}: a compressor starts at {@code setPoint +
 * hysteresis} and stops at {@code setPoint - hysteresis}; a heater does the opposite. The probe
 * then reads {@code T} plus Gaussian noise of {@link #noise()} and rounds to {@link
 * #resolution()}.
 *
 * @param setPoint thermostat set point, °C
 * @param hysteresis half-width of the thermostat's dead band, °C (&gt; 0); the unit cycles between
 *     {@code setPoint - hysteresis} and {@code setPoint + hysteresis}
 * @param tau time constant of the exchange with the room, door closed (&gt; 0): the time the unit
 *     takes, without its actuator, to close 63 % of the gap to ambient
 * @param doorTau time constant with the door open (&gt; 0), usually much shorter than {@code tau}
 * @param actuator what the thermostat switches: a compressor (cools) or a heater (warms)
 * @param actuatorRate rate at which the running actuator alone moves the temperature, °C per
 *     second (&gt; 0): its power divided by the unit's heat capacity
 * @param noise standard deviation of the probe's Gaussian read noise, °C (&ge; 0)
 * @param resolution probe resolution, °C (&gt; 0); readings are rounded to a multiple of it
 *     (DS18B20 at 12 bits: 0.0625)
 * @param coolantBudget for a {@linkplain Actuator#COOLANT coolant} only (positive): how long the
 *     packs can cool at {@code actuatorRate} before they have melted; the warmer the room, the
 *     more they run and the sooner they are spent. Zero for other actuators
 */
public record ThermalParameters(
    double setPoint,
    double hysteresis,
    Duration tau,
    Duration doorTau,
    Actuator actuator,
    double actuatorRate,
    double noise,
    double resolution,
    Duration coolantBudget) {

  /** The DS18B20's resolution at 12 bits, °C. */
  public static final double DS18B20_RESOLUTION = 0.0625;

  /** Checks every parameter; throws {@code InvalidValueException} naming the first bad one. */
  public ThermalParameters {
    Checks.requireFinite("setPoint", setPoint);
    Checks.require(hysteresis > 0 && Double.isFinite(hysteresis), "hysteresis", hysteresis, "be above 0 °C");
    Checks.requireNonNull("tau", tau);
    Checks.require(tau.toMillis() > 0, "tau", tau, "be positive");
    Checks.requireNonNull("doorTau", doorTau);
    Checks.require(doorTau.toMillis() > 0, "doorTau", doorTau, "be positive");
    Checks.requireNonNull("actuator", actuator);
    Checks.require(
        actuatorRate > 0 && Double.isFinite(actuatorRate), "actuatorRate", actuatorRate, "be above 0 °C/s");
    Checks.require(noise >= 0 && Double.isFinite(noise), "noise", noise, "be 0 °C or more");
    Checks.require(
        resolution > 0 && Double.isFinite(resolution), "resolution", resolution, "be above 0 °C");
    Checks.requireNonNull("coolantBudget", coolantBudget);
    Checks.require(actuator == Actuator.COOLANT ? coolantBudget.toMillis() > 0 : coolantBudget.isZero(),
        "coolantBudget", coolantBudget, actuator == Actuator.COOLANT ? "be positive for a coolant"
            : "be zero unless the actuator is a coolant");
  }

  /** Constants of a unit with a compressor or a heater (no coolant budget). */
  public ThermalParameters(double setPoint, double hysteresis, Duration tau, Duration doorTau, Actuator actuator,
      double actuatorRate, double noise, double resolution) {
    this(setPoint, hysteresis, tau, doorTau, actuator, actuatorRate, noise, resolution, Duration.ZERO);
  }

  /** The temperature at which the thermostat starts the actuator, °C. */
  public double switchOnAt() {
    return setPoint - actuator.direction() * hysteresis;
  }

  /** The temperature at which the thermostat stops the actuator, °C. */
  public double switchOffAt() {
    return setPoint + actuator.direction() * hysteresis;
  }

  /** A copy with another read noise, °C. */
  public ThermalParameters withNoise(double celsius) {
    return new ThermalParameters(setPoint, hysteresis, tau, doorTau, actuator, actuatorRate, celsius, resolution,
        coolantBudget);
  }

  /** A copy regulating around another set point, °C. */
  public ThermalParameters withSetPoint(double celsius) {
    return new ThermalParameters(celsius, hysteresis, tau, doorTau, actuator, actuatorRate, noise, resolution,
        coolantBudget);
  }
}
