package org.sangfroid.gateway.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sangfroid.gateway.store.ChartBucket;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.ReadingRow;

/**
 * A unit's temperatures over a range as the chart draws them: the readings themselves when the
 * range holds at most the points asked for, else per time bucket the min, max and mean of the
 * valid readings, computed by the database. Min and max are kept so that a short peak is never
 * averaged away on a year's chart. Where there was no valid reading for a while, a point without
 * values marks the gap, so the line is broken there instead of drawn across.
 */
final class UnitChart {
  /** Points asked for when the request does not say: about one per pixel of a wide chart. */
  static final int DEFAULT_POINTS = 1_000;
  static final int MAX_POINTS = 10_000;

  private UnitChart() {}

  /**
   * One point of the chart. Values are null at a gap (no valid reading) and {@code count} is 0.
   *
   * @param t a reading's measurement time, or a bucket's start (epoch ms)
   * @param count the valid readings behind the point
   */
  record Point(long t, Double min, Double max, Double mean, long count) {
    static Point gap(long t) {
      return new Point(t, null, null, null, 0);
    }

    boolean isGap() {
      return count == 0;
    }
  }

  /**
   * The chart's points, oldest first.
   *
   * @param bucketMillis the buckets' width, 0 when the points are the readings themselves
   */
  record Series(long bucketMillis, List<Point> points) {
    boolean raw() {
      return bucketMillis == 0;
    }
  }

  /**
   * The chart of {@code unit} from {@code from} to {@code to} included (epoch ms) in about
   * {@code points} points; a stretch longer than {@code gapAfter} without a valid reading is a gap.
   */
  static Series of(GatewayStore store, String unit, long from, long to, int points, Duration gapAfter) {
    long gap = gapAfter.toMillis();
    if (store.countReadings(unit, from, to) <= points) {
      return new Series(0, raw(store.readings(unit, from, to, points), gap));
    }
    // +1: the last bucket ends after to, so every reading has a bucket and there are at most `points`
    long width = (to - from) / points + 1;
    List<Point> out = new ArrayList<>();
    long previous = Long.MIN_VALUE;
    for (ChartBucket b : store.chartBuckets(unit, from, to, width)) {
      long empty = previous == Long.MIN_VALUE ? 0 : b.index() - previous - 1;
      // an empty bucket is a gap only if it is as long as the profile allows without a reading
      if (empty > 0 && empty * width >= gap) {
        out.add(Point.gap(from + (previous + 1) * width));
      }
      out.add(new Point(from + b.index() * width, b.min(), b.max(), b.mean(), b.count()));
      previous = b.index();
    }
    return new Series(width, out);
  }

  private static List<Point> raw(List<ReadingRow> readings, long gap) {
    List<Point> out = new ArrayList<>(readings.size() + 16);
    long last = Long.MIN_VALUE;
    for (ReadingRow r : readings) {
      if (r.value().isEmpty()) {
        out.add(Point.gap(r.time())); // an invalid reading: the probe said nothing usable
        continue;
      }
      if (last != Long.MIN_VALUE && r.time() - last > gap) {
        out.add(Point.gap(last + (r.time() - last) / 2));
      }
      double v = r.value().getAsDouble();
      out.add(new Point(r.time(), v, v, v, 1));
      last = r.time();
    }
    return out;
  }
}
