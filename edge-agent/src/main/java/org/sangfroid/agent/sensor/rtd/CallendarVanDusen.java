package org.sangfroid.agent.sensor.rtd;

import java.util.Locale;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.check.InvalidValueException;

/**
 * The IEC 60751 resistance–temperature curve of an industrial platinum RTD with resistance
 * {@code r0} at 0 °C (100 Ω for a PT100, 1000 Ω for a PT1000):
 *
 * <pre>
 * R(t) = R0 · [1 + A·t + B·t² + C·(t − 100)·t³]
 * A = 3.9083e-3, B = -5.775e-7, C = -4.183e-12 below 0 °C and 0 from 0 °C up
 * </pre>
 *
 * <p>From 0 °C up the curve is a quadratic, inverted in closed form. Below 0 °C the C term
 * makes it a quartic, inverted by Newton's method; leaving C out would read a −80 °C freezer
 * about 0.1 °C off. Defined from −200 °C to +850 °C, the range of the standard; both
 * directions reject anything outside it. Immutable and thread-safe.
 *
 * @param r0 the resistance at 0 °C in ohms
 */
public record CallendarVanDusen(double r0) {
  public static final double A = 3.9083e-3;
  public static final double B = -5.775e-7;
  /** Applies below 0 °C only. */
  public static final double C = -4.183e-12;
  /** The range of IEC 60751, in °C. */
  public static final double MIN_CELSIUS = -200.0;
  public static final double MAX_CELSIUS = 850.0;

  /** PT100: 100 Ω at 0 °C. */
  public static final CallendarVanDusen PT100 = new CallendarVanDusen(100.0);
  /** PT1000: 1000 Ω at 0 °C. */
  public static final CallendarVanDusen PT1000 = new CallendarVanDusen(1000.0);

  /** Newton stops once a step is below this; far below the 0.001 °C we promise. */
  private static final double NEWTON_TOLERANCE = 1e-9;
  private static final int NEWTON_MAX_STEPS = 50;

  public CallendarVanDusen {
    Checks.require(Double.isFinite(r0) && r0 > 0, "r0", r0, "be a positive number of ohms");
  }

  /** The curve for {@code r0} = 100 or 1000 ohms, the two the agent supports. */
  public static CallendarVanDusen forR0(int r0) {
    Checks.require(r0 == 100 || r0 == 1000, "r0", r0, "be 100 (PT100) or 1000 (PT1000)");
    return r0 == 100 ? PT100 : PT1000;
  }

  /** The probe's name, such as {@code PT100}. */
  public String name() {
    return r0 == Math.rint(r0) ? "PT" + (long) r0 : String.format(Locale.ROOT, "PT%s", r0);
  }

  /**
   * The resistance in ohms at {@code celsius}.
   *
   * @throws InvalidValueException if {@code celsius} is not a number
   *     from −200 to 850
   */
  public double resistance(double celsius) {
    Checks.require(celsius >= MIN_CELSIUS && celsius <= MAX_CELSIUS, "celsius", celsius,
        "be from -200 to 850 °C (the IEC 60751 range)");
    return curve(celsius);
  }

  /**
   * The lowest resistance {@link #temperature} takes: R(−200 °C) less half the last digit the
   * tables print (0.005 Ω for a PT100), so that the printed end value, 18.52 Ω, converts.
   */
  public double minOhms() {
    return curve(MIN_CELSIUS) - printedHalfDigit();
  }

  /** The highest resistance {@link #temperature} takes: R(+850 °C), 390.48 Ω for a PT100, as for {@link #minOhms()}. */
  public double maxOhms() {
    return curve(MAX_CELSIUS) + printedHalfDigit();
  }

  /** Tables print a PT100 to 0.01 Ω, a PT1000 to 0.1 Ω. */
  private double printedHalfDigit() {
    return 0.005 * r0 / 100.0;
  }

  /** True when {@code ohms} lies on the curve, from {@link #minOhms()} to {@link #maxOhms()}. */
  public boolean covers(double ohms) {
    return ohms >= minOhms() && ohms <= maxOhms();
  }

  /**
   * The temperature in °C at which the probe has {@code ohms}; exact to better than 0.001 °C.
   * At the very ends (within {@link #minOhms()} or {@link #maxOhms()} but beyond −200 or 850 °C)
   * the curve is extended by a few thousandths of a degree.
   *
   * @throws InvalidValueException if {@code ohms} is not a positive
   *     number, or lies outside the curve (see {@link #covers(double)})
   */
  public double temperature(double ohms) {
    Checks.require(Double.isFinite(ohms) && ohms > 0, "ohms", ohms, "be a positive number");
    if (!covers(ohms)) {
      throw new InvalidValueException(Checks.message("ohms", ohms,
          String.format(Locale.ROOT, "be from %.2f to %.2f (-200 to 850 °C for a %s)", curve(MIN_CELSIUS),
              curve(MAX_CELSIUS), name())));
    }
    // + 0.0 turns the −0.0 that R0 itself gives into 0.0.
    double quadratic = quadraticRoot(ohms) + 0.0;
    if (ohms >= r0) {
      return quadratic;
    }
    // Below 0 °C the C term adds up to 1 % at −200 °C; the quadratic root is a close start.
    double t = quadratic;
    for (int i = 0; i < NEWTON_MAX_STEPS; i++) {
      double step = (curve(t) - ohms) / slope(t);
      t -= step;
      if (Math.abs(step) < NEWTON_TOLERANCE) {
        return t;
      }
    }
    // The curve is smooth and monotonic over its range, so this is a bug, not an input problem.
    throw new IllegalStateException("Callendar-Van Dusen inversion did not converge for " + ohms + " ohms");
  }

  /** R(t), without range checks. */
  private double curve(double t) {
    double c = t < 0 ? C : 0.0;
    return r0 * (1 + A * t + B * t * t + c * (t - 100) * t * t * t);
  }

  /** dR/dt below 0 °C. */
  private double slope(double t) {
    return r0 * (A + 2 * B * t + C * (4 * t * t * t - 300 * t * t));
  }

  /** The root of R0·(1 + A·t + B·t²) = R, exact from 0 °C up. */
  private double quadraticRoot(double ohms) {
    return (-A + Math.sqrt(A * A - 4 * B * (1 - ohms / r0))) / (2 * B);
  }
}
