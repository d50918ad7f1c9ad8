package org.sangfroid.core.excursion;

import java.time.Duration;
import org.sangfroid.core.check.Checks;

/**
 * One storage rule of a profile, evaluated on measurement time. "Beyond" means above
 * {@code limit} when {@code above}, below it otherwise; with {@code inclusive} the limit itself
 * counts as beyond (WHO loggers: "the threshold value itself is inside the alarm range").
 */
public sealed interface Rule {
  /** The alarm this rule raises; unique within a profile. */
  AlarmKind kind();

  /** The temperature limit, °C. */
  double limit();

  /** True for an upper limit. */
  boolean above();

  /** True when a reading equal to the limit counts as beyond. */
  boolean inclusive();

  /** True when {@code celsius} is beyond this rule's limit. */
  default boolean beyond(double celsius) {
    if (above()) {
      return inclusive() ? celsius >= limit() : celsius > limit();
    }
    return inclusive() ? celsius <= limit() : celsius < limit();
  }

  /** True when {@code celsius} is back inside the limit by {@code margin}. */
  default boolean backInside(double celsius, double margin) {
    return above() ? celsius <= limit() - margin : celsius >= limit() + margin;
  }

  /**
   * Beyond the limit continuously for {@code delay} raises the alarm (delay zero: at once); it
   * clears once back inside by {@code hysteresis}. Used for the acceptable range, warning bands
   * and absolute limits.
   */
  record Threshold(AlarmKind kind, double limit, boolean above, boolean inclusive, Duration delay,
      double hysteresis) implements Rule {
    public Threshold {
      Checks.requireFinite("limit", limit);
      Checks.require(!delay.isNegative(), "delay", delay, "not be negative");
      Checks.require(hysteresis >= 0 && Double.isFinite(hysteresis), "hysteresis", hysteresis,
          "be a finite number of at least 0");
    }

    /** An upper or lower limit, the limit itself not beyond. */
    public static Threshold of(AlarmKind kind, double limit, boolean above, Duration delay, double hysteresis) {
      return new Threshold(kind, limit, above, false, delay, hysteresis);
    }

    /** A limit that must never be crossed: alarm on the first reading beyond it. */
    public static Threshold absolute(AlarmKind kind, double limit, boolean above, double hysteresis) {
      return new Threshold(kind, limit, above, false, Duration.ZERO, hysteresis);
    }
  }

  /**
   * The time spent beyond the limit is added up over the product's stay (each interval between
   * two valid readings counts as the earlier reading was); over {@code allowance} raises the
   * alarm, which no return to range clears: the allowance is spent.
   */
  record Cumulative(AlarmKind kind, double limit, boolean above, boolean inclusive, Duration allowance)
      implements Rule {
    public Cumulative {
      Checks.requireFinite("limit", limit);
      Checks.require(!allowance.isNegative() && !allowance.isZero(), "allowance", allowance, "be positive");
    }
  }

  /**
   * Each separate excursion beyond the limit is an episode; an episode ends when the
   * temperature is back inside by {@code hysteresis}. More than {@code allowed} episodes raises
   * the alarm, at the start of the first episode too many; it does not clear.
   */
  record Episodes(AlarmKind kind, double limit, boolean above, boolean inclusive, int allowed, double hysteresis)
      implements Rule {
    public Episodes {
      Checks.requireFinite("limit", limit);
      Checks.requireAtLeast("allowed", allowed, 0);
      Checks.require(hysteresis >= 0 && Double.isFinite(hysteresis), "hysteresis", hysteresis,
          "be a finite number of at least 0");
    }
  }

  /**
   * One continuous excursion beyond the limit may last {@code longest}, and no longer: the alarm
   * is raised on the first reading past that. The excursion (and the alarm) ends when the
   * temperature is back inside by {@code hysteresis}, so wobbling on the limit does not restart
   * the count.
   */
  record LongestEpisode(AlarmKind kind, double limit, boolean above, boolean inclusive, Duration longest,
      double hysteresis) implements Rule {
    public LongestEpisode {
      Checks.requireFinite("limit", limit);
      Checks.require(!longest.isNegative() && !longest.isZero(), "longest", longest, "be positive");
      Checks.require(hysteresis >= 0 && Double.isFinite(hysteresis), "hysteresis", hysteresis,
          "be a finite number of at least 0");
    }
  }
}
