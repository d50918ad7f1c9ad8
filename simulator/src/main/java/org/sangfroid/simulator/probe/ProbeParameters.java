package org.sangfroid.simulator.probe;

import java.time.Duration;
import org.sangfroid.core.check.Checks;

/**
 * The constants of one probe.
 *
 * <p>A glycol probe's temperature {@code B} follows the air {@code T} through
 * {@code dB/dt = (T - B) / lag}. A reading is {@code B} (or {@code T} for an air probe) plus
 * the drift accumulated so far, plus Gaussian noise of {@code noise}, rounded to a multiple of
 * {@code resolution}.
 *
 * @param type air or glycol
 * @param lag time constant of the glycol bottle (positive for glycol; ignored for air): the
 *     time the probe takes to close 63 % of a step change of the air
 * @param noise standard deviation of the read noise, °C (&ge; 0)
 * @param resolution readings are rounded to a multiple of it, °C (&gt; 0)
 */
public record ProbeParameters(ProbeType type, Duration lag, double noise, double resolution) {
  /** A DS18B20 at 12 bits: 1/16 °C (standards.md §6). */
  public static final double DS18B20_RESOLUTION = 0.0625;
  /**
   * A PT100 through a MAX31865: a 15-bit ratio of a 400 Ω reference, about 0.03 °C per step
   * (standards.md §6); the simulator rounds to 1/32 °C.
   */
  public static final double PT100_RESOLUTION = 0.03125;
  /**
   * Default glycol lag: 30 min. The probe's liquid should be comparable to the smallest component
   * stored (standards.md §2, Gundersen SOP); resuspended red cells out of the fridge reached a
   * core of 10 °C in 15 min and 15 °C in 60 min (Perry et al. 2010, standards.md §2), a
   * first-order time constant of about 35 to 65 min. 30 min is a simulator choice on the fast
   * (cautious) side of that; no standard gives a number.
   */
  public static final Duration DEFAULT_GLYCOL_LAG = Duration.ofMinutes(30);

  public ProbeParameters {
    Checks.requireNonNull("type", type);
    Checks.requireNonNull("lag", lag);
    Checks.require(type != ProbeType.GLYCOL || lag.toMillis() > 0, "lag", lag, "be positive for a glycol probe");
    Checks.require(noise >= 0 && Double.isFinite(noise), "noise", noise, "be 0 °C or more");
    Checks.require(resolution > 0 && Double.isFinite(resolution), "resolution", resolution, "be above 0 °C");
  }

  /** A copy of another type (a probe that fell out of its bottle is an air probe). */
  public ProbeParameters withType(ProbeType newType) {
    return new ProbeParameters(newType, lag, noise, resolution);
  }
}
