package org.sangfroid.simulator.thermal;

import java.time.Duration;
import org.sangfroid.core.check.Checks;

/**
 * The air of one storage unit under its thermostat, stepped in simulated time (the equation is
 * in {@link ThermalParameters}). It draws nothing at random and reads no clock: the caller says
 * how long each step is and what the unit goes through during it ({@link Conditions}). Not
 * thread-safe.
 *
 * <p>A {@linkplain Actuator#COOLANT coolant} (the ice or gel packs of a passive transport box)
 * has a budget of running time, {@link ThermalParameters#coolantBudget()}: once spent, the packs
 * have melted and the box warms towards the room.
 */
public final class Cabinet {
  private final ThermalParameters parameters;
  private double temperature;
  private boolean running;
  private double setPoint;
  private double coolantLeft;
  // exp(-dt/tau) of the last step: steps repeat the same dt and tau, and exp is the costly part
  private long lastNanos;
  private double lastTau;
  private double lastFactor;

  /**
   * What the unit goes through during one step.
   *
   * @param ambient the room temperature, °C
   * @param doorLoad 0 with the door closed; otherwise how hard the open door exchanges heat
   *     with the room: the time constant is {@link ThermalParameters#doorTau()} divided by it (1 =
   *     the kind's usual opening, 2 = twice the exchange: wide open while loading)
   * @param actuatorWorks false while the compressor or heater has failed or the mains power is off
   * @param extraRate heat added, °C per second of the air's own warming (a defrost heater), 0 for none
   */
  public record Conditions(double ambient, double doorLoad, boolean actuatorWorks, double extraRate) {
    public Conditions {
      Checks.requireFinite("ambient", ambient);
      Checks.require(doorLoad >= 0 && Double.isFinite(doorLoad), "doorLoad", doorLoad, "be 0 or more");
      Checks.requireFinite("extraRate", extraRate);
    }

    /** Door closed, everything working, in a room at {@code ambient}. */
    public static Conditions normal(double ambient) {
      return new Conditions(ambient, 0, true, 0);
    }
  }

  /**
   * @param parameters the unit's constants
   * @param temperature the air's temperature at the start, °C
   * @param running whether the thermostat calls for the actuator at the start
   */
  public Cabinet(ThermalParameters parameters, double temperature, boolean running) {
    this.parameters = Checks.requireNonNull("parameters", parameters);
    this.temperature = Checks.requireFinite("temperature", temperature);
    this.running = running;
    this.setPoint = parameters.setPoint();
    this.coolantLeft = parameters.coolantBudget().toNanos() / 1e9;
  }

  /** Advances the air by {@code dt} under {@code c}, then lets the thermostat react. */
  public void step(Duration dt, Conditions c) {
    Checks.require(!dt.isNegative() && !dt.isZero(), "dt", dt, "be positive");
    step(dt.toNanos(), c);
  }

  /** {@link #step(Duration, Conditions)} with {@code nanos} for the step: a fleet takes millions. */
  public void step(long nanos, Conditions c) {
    if (nanos <= 0) { // not Checks.require: its message would be built on every step
      throw new IllegalArgumentException(Checks.message("dt", nanos + " ns", "be positive"));
    }
    double seconds = nanos / 1e9;
    double tau = parameters.tau().toNanos() / 1e9;
    if (c.doorLoad() > 0) {
      tau = parameters.doorTau().toNanos() / 1e9 / c.doorLoad(); // the opening dominates the walls
    }
    boolean drives = running && c.actuatorWorks() && !coolantSpent();
    double drive = (drives ? parameters.actuator().direction() * parameters.actuatorRate() : 0) + c.extraRate();
    double equilibrium = c.ambient() + drive * tau;
    temperature = equilibrium + (temperature - equilibrium) * factor(nanos, tau);
    if (drives && parameters.actuator() == Actuator.COOLANT) {
      coolantLeft -= seconds;
    }
    regulate();
  }

  private double factor(long nanos, double tau) {
    if (nanos != lastNanos || tau != lastTau) {
      lastNanos = nanos;
      lastTau = tau;
      lastFactor = Math.exp(-(nanos / 1e9) / tau);
    }
    return lastFactor;
  }

  private void regulate() {
    int d = parameters.actuator().direction();
    double h = parameters.hysteresis();
    if (d * (setPoint - d * h - temperature) >= 0) {
      running = true;
    } else if (d * (temperature - setPoint - d * h) >= 0) {
      running = false;
    }
  }

  private boolean coolantSpent() {
    return parameters.actuator() == Actuator.COOLANT && coolantLeft <= 0;
  }

  /**
   * Sets the thermostat to another temperature, °C (someone turned the dial, or a faulty
   * controller): the unit regulates around it from the next step.
   */
  public void setPoint(double celsius) {
    this.setPoint = Checks.requireFinite("setPoint", celsius);
  }

  /** The set point the thermostat regulates around now, °C. */
  public double setPoint() {
    return setPoint;
  }

  /** The air's temperature, °C. */
  public double temperature() {
    return temperature;
  }

  /** Whether the thermostat is calling for the compressor, heater or coolant. */
  public boolean running() {
    return running;
  }

  /** For a coolant: true once its packs have melted. Always false for other actuators. */
  public boolean exhausted() {
    return coolantSpent();
  }

  /** The unit's constants. */
  public ThermalParameters parameters() {
    return parameters;
  }
}
