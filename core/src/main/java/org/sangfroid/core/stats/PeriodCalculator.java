package org.sangfroid.core.stats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Sample;

/**
 * Computes {@link PeriodStats} from a unit's readings. A valid reading stands for the time from
 * its measurement until the next reading (valid or not), at most {@code hold}, and within the
 * period; an invalid reading (probe fault) stands for nothing. So a gap in the data is reported as
 * uncovered time, never as in range.
 *
 * <p>Mean kinetic temperature (USP &lt;1079&gt;, standards.md §5):
 * {@code T = (ΔH/R) / -ln(Σ tᵢ·e^(-(ΔH/R)/Tᵢ) / Σ tᵢ)}, temperatures in kelvin, {@code tᵢ} the
 * time each reading stands for. It is Arrhenius-based, made for chemical degradation: for
 * information only, never to override a blood component's limits.
 */
public final class PeriodCalculator {
  /** ΔH/R in kelvin: ΔH = 83.144 kJ/mol, R = 8.3144 J/(mol·K) (USP &lt;1079&gt;, standards.md §5). */
  public static final double DEFAULT_DH_OVER_R = 10_000;

  private static final double ZERO_CELSIUS_K = 273.15;

  private PeriodCalculator() {}

  /**
   * The statistics against a profile's acceptable range; a reading stands for at most the
   * profile's monitoring-lost time (after that the unit's temperature is unknown).
   */
  public static PeriodStats compute(List<Sample> samples, long from, long to, Profile profile) {
    return compute(samples, from, to, profile.low(), profile.high(), profile.monitoringLostAfter(),
        DEFAULT_DH_OVER_R);
  }

  /**
   * The statistics of {@code samples} (any order; those outside the period are only used to know
   * what stands at its start) over [{@code from}, {@code to}).
   *
   * @param low the low limit, °C ({@code -Infinity} for none); a reading below it is out of range
   * @param high the high limit, °C ({@code +Infinity} for none); a reading above it is out of range
   * @param hold the longest time one reading stands for
   * @param dhOverR ΔH/R for the mean kinetic temperature, kelvin ({@link #DEFAULT_DH_OVER_R})
   */
  public static PeriodStats compute(List<Sample> samples, long from, long to, double low, double high,
      Duration hold, double dhOverR) {
    Checks.require(from < to, "from", from, "be before to (" + to + ")");
    Checks.require(!Double.isNaN(low) && !Double.isNaN(high) && low < high, "low", low,
        "be below high (" + high + ")");
    Checks.require(!hold.isNegative() && !hold.isZero(), "hold", hold, "be positive");
    Checks.require(dhOverR > 0 && Double.isFinite(dhOverR), "dhOverR", dhOverR, "be a positive number of kelvin");

    List<Sample> sorted = new ArrayList<>(samples);
    sorted.sort(Comparator.comparingLong(Sample::time));
    Totals totals = new Totals(low, high, dhOverR);
    for (int i = 0; i < sorted.size() && sorted.get(i).time() < to; i++) {
      Sample s = sorted.get(i);
      long next = i + 1 < sorted.size() ? sorted.get(i + 1).time() : Long.MAX_VALUE;
      boolean inPeriod = s.time() >= from;
      if (!usable(s)) {
        totals.invalid += inPeriod ? 1 : 0;
        continue;
      }
      long start = Math.max(s.time(), from);
      long end = Math.min(Math.min(next, s.time() + hold.toMillis()), to);
      long stands = Math.max(0, end - start);
      if (inPeriod || stands > 0) {
        totals.add(s.celsius(), stands);
      }
    }
    return totals.result(from, to);
  }

  /** A temperature to count: valid, finite, above absolute zero. */
  private static boolean usable(Sample s) {
    return s.valid() && Double.isFinite(s.celsius()) && s.celsius() > -ZERO_CELSIUS_K;
  }

  /** The running sums. */
  private static final class Totals {
    private final double low;
    private final double high;
    private final double dhOverR;
    private long covered;
    private int readings;
    private int invalid;
    private double min = Double.NaN;
    private double max = Double.NaN;
    private double weightedSum;
    private long below;
    private long above;
    private int excursions;
    private int side; // -1 below, 0 inside, +1 above: the last reading's
    /** Σ tᵢ·e^(xᵢ - m) with xᵢ = -(ΔH/R)/Tᵢ, kept against the largest xᵢ (m) so it cannot underflow. */
    private double arrheniusSum;
    private double arrheniusMax = Double.NEGATIVE_INFINITY;

    Totals(double low, double high, double dhOverR) {
      this.low = low;
      this.high = high;
      this.dhOverR = dhOverR;
    }

    void add(double celsius, long millis) {
      readings++;
      min = Double.isNaN(min) ? celsius : Math.min(min, celsius);
      max = Double.isNaN(max) ? celsius : Math.max(max, celsius);
      int now = celsius < low ? -1 : celsius > high ? 1 : 0;
      if (now != 0 && now != side) {
        excursions++;
      }
      side = now;
      if (millis == 0) {
        return;
      }
      covered += millis;
      weightedSum += celsius * millis;
      below += now < 0 ? millis : 0;
      above += now > 0 ? millis : 0;
      double x = -dhOverR / (celsius + ZERO_CELSIUS_K);
      if (x > arrheniusMax) {
        arrheniusSum = arrheniusSum * Math.exp(arrheniusMax - x) + millis;
        arrheniusMax = x;
      } else {
        arrheniusSum += millis * Math.exp(x - arrheniusMax);
      }
    }

    PeriodStats result(long from, long to) {
      OptionalDouble mean = covered == 0 ? OptionalDouble.empty() : OptionalDouble.of(weightedSum / covered);
      OptionalDouble mkt = covered == 0 ? OptionalDouble.empty()
          : OptionalDouble.of(dhOverR / -(arrheniusMax + Math.log(arrheniusSum / covered)) - ZERO_CELSIUS_K);
      return new PeriodStats(from, to, covered, readings, invalid, optional(min), optional(max), mean, mkt, below,
          above, excursions);
    }

    private static OptionalDouble optional(double d) {
      return Double.isNaN(d) ? OptionalDouble.empty() : OptionalDouble.of(d);
    }
  }
}
