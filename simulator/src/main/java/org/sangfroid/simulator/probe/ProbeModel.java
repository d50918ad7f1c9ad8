package org.sangfroid.simulator.probe;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;

/**
 * One probe, stepped in simulated time alongside its unit's air. Not thread-safe; no clock. All
 * randomness comes from the {@link Random} given at construction: one Gaussian draw per
 * {@link #read}, whatever the probe's state, so a fault does not shift the noise of the readings
 * after it.
 */
public final class ProbeModel {
  private final ProbeParameters parameters;
  private final Random random;
  private double buffer;
  private double lastValid = Double.NaN;
  private double stuckAt = Double.NaN;
  private long lastNanos;
  private double lastFactor;

  /**
   * What happens to the probe at the moment of a reading (from the scenario's timeline).
   *
   * @param inBuffer false once a glycol probe has fallen out of its bottle: it reads the air
   * @param drift the calibration drift accumulated so far, °C, added to what it senses
   * @param stuck true while the probe repeats the last value it read before it stuck
   * @param fault the driver's verdict instead of a temperature (disconnected, CRC error,
   *     power-on reset), if any
   */
  public record State(boolean inBuffer, double drift, boolean stuck, Optional<Quality> fault) {
    /** In its bottle, no drift, working. */
    public static final State NORMAL = new State(true, 0, false, Optional.empty());

    public State {
      Checks.requireFinite("drift", drift);
      Checks.requireNonNull("fault", fault);
      fault.ifPresent(q -> Checks.require(q != Quality.OK, "fault", q, "be a fault, not ok"));
    }
  }

  /**
   * One reading as the driver reports it.
   *
   * @param celsius the temperature, {@code NaN} unless {@code quality} is OK
   */
  public record Result(double celsius, Quality quality) {}

  /**
   * @param parameters the probe's constants
   * @param air the unit's air temperature at the start, °C: a glycol bottle starts there too
   * @param random the source of the read noise; seed it for reproducible runs
   */
  public ProbeModel(ProbeParameters parameters, double air, Random random) {
    this.parameters = Checks.requireNonNull("parameters", parameters);
    this.buffer = Checks.requireFinite("air", air);
    this.random = Checks.requireNonNull("random", random);
  }

  /**
   * Lets the glycol follow the air over a step of {@code dt} during which the air went from
   * {@code before} to {@code after} (taken as their mean for the whole step).
   */
  public void follow(Duration dt, double before, double after) {
    follow(dt.toNanos(), before, after);
  }

  /** {@link #follow(Duration, double, double)} with {@code nanos} for the step: a fleet takes millions. */
  public void follow(long nanos, double before, double after) {
    if (parameters.type() == ProbeType.GLYCOL) {
      double mean = (before + after) / 2;
      if (nanos != lastNanos) { // steps repeat the same length: exp is the costly part
        lastNanos = nanos;
        lastFactor = Math.exp(-(nanos / 1e9) / (parameters.lag().toNanos() / 1e9));
      }
      buffer = mean + (buffer - mean) * lastFactor;
    }
  }

  /** What the probe's tip senses now, °C, before drift, noise and rounding. */
  public double sensed(double air, boolean inBuffer) {
    return parameters.type() == ProbeType.GLYCOL && inBuffer ? buffer : air;
  }

  /** Reads the probe: {@code air} is the unit's air temperature now, °C. */
  public Result read(double air, State state) {
    double noise = parameters.noise() * random.nextGaussian();
    if (state.fault().isPresent()) {
      return new Result(Double.NaN, state.fault().get());
    }
    if (state.stuck()) {
      if (Double.isNaN(stuckAt)) {
        stuckAt = Double.isNaN(lastValid) ? round(sensed(air, state.inBuffer())) : lastValid;
      }
      return new Result(stuckAt, Quality.OK);
    }
    stuckAt = Double.NaN;
    lastValid = round(sensed(air, state.inBuffer()) + state.drift() + noise);
    return new Result(lastValid, Quality.OK);
  }

  private double round(double celsius) {
    double r = parameters.resolution();
    return Math.round(celsius / r) * r;
  }

  /** The probe's constants. */
  public ProbeParameters parameters() {
    return parameters;
  }
}
