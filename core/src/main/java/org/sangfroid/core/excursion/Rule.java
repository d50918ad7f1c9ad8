package org.sangfroid.core.excursion;

import java.time.Duration;
import java.util.Optional;
import org.sangfroid.core.check.Checks;

/**
 * One storage rule of a profile, evaluated on measurement time. Rules on a temperature limit are
 * {@link Limit}s; the others watch how fast the temperature changes, the probe, the unit's digital
 * inputs or the length of a trip.
 */
public sealed interface Rule {
  /** The alarm this rule raises; unique within a profile. */
  AlarmKind kind();

  /**
   * True when {@code celsius} is beyond this rule's temperature limit; always false for rules
   * that have none (the agent's outbox keeps readings beyond any limit longest).
   */
  default boolean beyond(double celsius) {
    return false;
  }

  /**
   * A rule on a temperature limit. "Beyond" means above {@code limit} when {@code above}, below
   * it otherwise; with {@code inclusive} the limit itself counts as beyond (WHO loggers: "the
   * threshold value itself is inside the alarm range").
   */
  sealed interface Limit extends Rule permits Threshold, Cumulative, Episodes, LongestEpisode {
    /** The temperature limit, °C. */
    double limit();

    /** True for an upper limit. */
    boolean above();

    /** True when a reading equal to the limit counts as beyond. */
    boolean inclusive();

    @Override
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
  }

  /**
   * Beyond the limit continuously for {@code delay} raises the alarm (delay zero: at once); it
   * clears once back inside by {@code hysteresis}. Used for the acceptable range, warning bands
   * and absolute limits.
   */
  record Threshold(AlarmKind kind, double limit, boolean above, boolean inclusive, Duration delay,
      double hysteresis) implements Limit {
    public Threshold {
      Checks.requireFinite("limit", limit);
      Checks.require(!delay.isNegative(), "delay", delay, "not be negative");
      requireHysteresis(hysteresis);
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
   * The time spent beyond the limit is added up (each interval between two valid readings counts
   * as the earlier reading was); over {@code allowance} raises the alarm.
   *
   * <p>Without a {@code window} the count runs over the product's stay: the alarm does not clear,
   * the allowance is spent ({@link ExcursionEngine#restock} starts a new stay). With a window
   * only the time beyond within the last {@code window} counts (e.g. at most 4 h in any 24 h);
   * the alarm clears once a whole window has passed without any time beyond the limit, so short
   * excursions after it do not raise and clear it again and again.
   */
  record Cumulative(AlarmKind kind, double limit, boolean above, boolean inclusive, Duration allowance,
      Optional<Duration> window) implements Limit {
    public Cumulative {
      Checks.requireFinite("limit", limit);
      Checks.require(!allowance.isNegative() && !allowance.isZero(), "allowance", allowance, "be positive");
      Checks.requireNonNull("window", window);
      window.ifPresent(w -> Checks.require(w.compareTo(allowance) > 0, "window", w,
          "be longer than the allowance (" + allowance + ")"));
    }

    /** Over the product's stay. */
    public Cumulative(AlarmKind kind, double limit, boolean above, boolean inclusive, Duration allowance) {
      this(kind, limit, above, inclusive, allowance, Optional.empty());
    }

    /** Within a rolling window: at most {@code allowance} beyond the limit in any {@code window}. */
    public static Cumulative perWindow(AlarmKind kind, double limit, boolean above, boolean inclusive,
        Duration allowance, Duration window) {
      return new Cumulative(kind, limit, above, inclusive, allowance, Optional.of(window));
    }
  }

  /**
   * Each separate excursion beyond the limit is an episode; an episode ends when the
   * temperature is back inside by {@code hysteresis}. More than {@code allowed} episodes raises
   * the alarm, at the start of the first episode too many; it does not clear.
   */
  record Episodes(AlarmKind kind, double limit, boolean above, boolean inclusive, int allowed, double hysteresis)
      implements Limit {
    public Episodes {
      Checks.requireFinite("limit", limit);
      Checks.requireAtLeast("allowed", allowed, 0);
      requireHysteresis(hysteresis);
    }
  }

  /**
   * One continuous excursion beyond the limit may last {@code longest}, and no longer: the alarm
   * is raised on the first reading past that. The excursion (and the alarm) ends when the
   * temperature is back inside by {@code hysteresis}, so wobbling on the limit does not restart
   * the count.
   */
  record LongestEpisode(AlarmKind kind, double limit, boolean above, boolean inclusive, Duration longest,
      double hysteresis) implements Limit {
    public LongestEpisode {
      Checks.requireFinite("limit", limit);
      Checks.require(!longest.isNegative() && !longest.isZero(), "longest", longest, "be positive");
      requireHysteresis(hysteresis);
    }
  }

  /**
   * The temperature may change by at most {@code perHour} °C per hour, in either direction,
   * measured between each valid reading and the newest reading at least {@code window} before it
   * (so a probe's resolution step between two readings does not count as a fast change). Faster
   * raises {@link AlarmKind#RATE_OF_CHANGE}; it clears once the rate is at most
   * {@code perHour - hysteresis}.
   */
  record RateOfChange(double perHour, Duration window, double hysteresis) implements Rule {
    public RateOfChange {
      Checks.require(perHour > 0 && Double.isFinite(perHour), "perHour", perHour, "be a positive number (°C/h)");
      Checks.require(window.compareTo(Duration.ofSeconds(1)) >= 0, "window", window, "be at least one second");
      Checks.require(hysteresis >= 0 && hysteresis < perHour, "hysteresis", hysteresis,
          "be at least 0 and below perHour (" + perHour + " °C/h)");
    }

    @Override
    public AlarmKind kind() {
      return AlarmKind.RATE_OF_CHANGE;
    }
  }

  /**
   * Only invalid readings (no temperature) for {@code delay} raise {@link AlarmKind#PROBE_FAULT};
   * the next valid reading clears it.
   */
  record ProbeFault(Duration delay) implements Rule {
    public ProbeFault {
      Checks.require(!delay.isNegative(), "delay", delay, "not be negative");
    }

    @Override
    public AlarmKind kind() {
      return AlarmKind.PROBE_FAULT;
    }
  }

  /**
   * A digital input active continuously for {@code delay} raises the alarm of its name (door open,
   * power lost, agitator stopped), starting when it became active; going inactive clears it. The
   * delay also runs out on later readings and on ticks, as an input that stays active sends
   * nothing more.
   */
  record InputActive(InputChange.Input input, Duration delay) implements Rule {
    public InputActive {
      Checks.requireNonNull("input", input);
      Checks.require(!delay.isNegative(), "delay", delay, "not be negative");
    }

    @Override
    public AlarmKind kind() {
      return input.kind();
    }
  }

  /**
   * A trip (the product's stay in a transport box) may last {@code longest} from its start
   * ({@link UnitState#tripStart()}); longer raises {@link AlarmKind#TRANSIT_TIME}, which stays
   * until a new trip starts ({@link ExcursionEngine#restock}).
   */
  record TransitTime(Duration longest) implements Rule {
    public TransitTime {
      Checks.require(!longest.isNegative() && !longest.isZero(), "longest", longest, "be positive");
    }

    @Override
    public AlarmKind kind() {
      return AlarmKind.TRANSIT_TIME;
    }
  }

  private static void requireHysteresis(double hysteresis) {
    Checks.require(hysteresis >= 0 && Double.isFinite(hysteresis), "hysteresis", hysteresis,
        "be a finite number of at least 0");
  }
}
