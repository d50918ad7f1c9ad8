package org.sangfroid.demo.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The figures of repeated runs of one measure: the median, and the spread as the lowest and the
 * highest. A median of three runs is what the tables report; the spread tells how far to trust it.
 */
public record Stats(double median, double min, double max, int runs) {

  public Stats {
    if (runs < 1) {
      throw new IllegalArgumentException("runs [" + runs + "] must be at least 1");
    }
  }

  /** The stats of {@code values} (at least one). */
  public static Stats of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("values must hold at least one figure");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
  }

  /** One figure, measured once. */
  public static Stats once(double value) {
    return new Stats(value, value, value, 1);
  }

  /** Half the range as a share of the median (0.05 = ±5 %); 0 for a single run or a zero median. */
  public double spread() {
    return runs == 1 || median == 0 ? 0 : (max - min) / 2 / Math.abs(median);
  }

  /**
   * The nearest-rank percentile {@code p} (0 to 100) of {@code values}: the smallest value with at
   * least p % of the values at or below it.
   */
  public static double percentile(List<Double> values, double p) {
    if (values.isEmpty() || p < 0 || p > 100) {
      throw new IllegalArgumentException("percentile " + p + " of " + values.size() + " values");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
