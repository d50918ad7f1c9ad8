package org.sangfroid.core.excursion;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.sangfroid.core.check.Checks;

/**
 * Everything the engine remembers about one unit. A plain value: the gateway stores it with
 * the readings so a restart continues where it stopped (a 72-hour exposure count included).
 *
 * @param watchSince when monitoring of the unit began (epoch ms), the reference for
 *     monitoring-lost before the first valid reading
 * @param lastSampleAt measurement time of the newest reading evaluated, or {@link #NEVER}
 * @param lastValidAt measurement time of the newest valid reading, or {@link #NEVER}
 * @param lastCelsius the newest valid temperature, {@code NaN} before the first
 * @param rules the state of each rule that has seen anything, by kind
 * @param monitoringLostSince start of the current monitoring-lost alarm, or {@link #NEVER}
 * @param stayStart when the products' current stay (a transport box: the trip) began, epoch ms,
 *     set by {@link ExcursionEngine#restock}; {@link #NEVER} until then: the stay is everything
 *     monitored (a trip is timed from {@code watchSince})
 * @param calibrationDue the earliest calibration due date of the unit's probes (epoch ms), or
 *     {@link #NEVER} when unknown; set by {@link ExcursionEngine#withCalibrationDue}
 * @param calibrationOverdueSince start of the current calibration-overdue alarm, or {@link #NEVER}
 */
public record UnitState(
    long watchSince,
    long lastSampleAt,
    long lastValidAt,
    double lastCelsius,
    Map<AlarmKind, RuleState> rules,
    long monitoringLostSince,
    long stayStart,
    long calibrationDue,
    long calibrationOverdueSince) {

  /** "No such time yet". */
  public static final long NEVER = Long.MIN_VALUE;

  /**
   * Copies {@code rules} (kept in {@link AlarmKind} order, read-only), unless they are another
   * state's: those are shared, as the engine's many readings that change no rule leave them.
   */
  public UnitState {
    if (!(rules instanceof Rules)) {
      EnumMap<AlarmKind, RuleState> copy = new EnumMap<>(AlarmKind.class);
      rules.forEach((kind, rule) -> copy.put(kind, Checks.requireNonNull("rules." + kind, rule)));
      rules = new Rules(copy);
    }
  }

  /**
   * Equal when every component is, as for any record (doubles as {@link Double#compare}), but
   * the times first and the rules last: a record compares its components in an order of its own,
   * and the rules map is the costly one (consecutive states mostly differ by their times, or
   * share it). {@link #hashCode()} stays the record's, which agrees.
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof UnitState u && lastSampleAt == u.lastSampleAt && lastValidAt == u.lastValidAt
        && watchSince == u.watchSince && monitoringLostSince == u.monitoringLostSince && stayStart == u.stayStart
        && calibrationDue == u.calibrationDue && calibrationOverdueSince == u.calibrationOverdueSince
        && Double.compare(lastCelsius, u.lastCelsius) == 0 && rules.equals(u.rules);
  }

  /** A state from before stays and calibration were kept: no restock yet, no calibration date known. */
  public UnitState(long watchSince, long lastSampleAt, long lastValidAt, double lastCelsius,
      Map<AlarmKind, RuleState> rules, long monitoringLostSince) {
    this(watchSince, lastSampleAt, lastValidAt, lastCelsius, rules, monitoringLostSince, NEVER, NEVER, NEVER);
  }

  /** A unit whose monitoring starts at {@code watchSince}. */
  public static UnitState start(long watchSince) {
    return new UnitState(watchSince, NEVER, NEVER, Double.NaN, Map.of(), NEVER, NEVER, NEVER, NEVER);
  }

  /** The state against the rule raising {@code kind} ({@link RuleState#NORMAL} if untouched). */
  public RuleState rule(AlarmKind kind) {
    RuleState st = ((Rules) rules).owned.get(kind); // one lookup: a state holds no null rule
    return st != null ? st : RuleState.NORMAL;
  }

  /** When the current trip (or stay) began: the last restock, else the start of monitoring. */
  public long tripStart() {
    return stayStart != NEVER ? stayStart : watchSince;
  }

  /** True while a monitoring-lost alarm is active. */
  public boolean monitoringLost() {
    return monitoringLostSince != NEVER;
  }

  /** True while a calibration-overdue alarm is active. */
  public boolean calibrationOverdue() {
    return calibrationOverdueSince != NEVER;
  }

  /** True when the temperature is outside the acceptable range while the alarm delay runs. */
  public boolean outOfRangeWithinDelay() {
    return rule(AlarmKind.HIGH_TEMPERATURE).phase() == RuleState.Phase.PENDING
        || rule(AlarmKind.LOW_TEMPERATURE).phase() == RuleState.Phase.PENDING;
  }

  UnitState withRules(Map<AlarmKind, RuleState> rules) {
    return new UnitState(watchSince, lastSampleAt, lastValidAt, lastCelsius, rules, monitoringLostSince, stayStart,
        calibrationDue, calibrationOverdueSince);
  }

  UnitState withMonitoringLostSince(long since) {
    return new UnitState(watchSince, lastSampleAt, lastValidAt, lastCelsius, rules, since, stayStart,
        calibrationDue, calibrationOverdueSince);
  }

  UnitState withStayStart(long start) {
    return new UnitState(watchSince, lastSampleAt, lastValidAt, lastCelsius, rules, monitoringLostSince, start,
        calibrationDue, calibrationOverdueSince);
  }

  UnitState withCalibration(long due, long overdueSince) {
    return new UnitState(watchSince, lastSampleAt, lastValidAt, lastCelsius, rules, monitoringLostSince, stayStart,
        due, overdueSince);
  }

  /** {@code rules} as a state's own, without a copy: the caller hands them over and never changes them. */
  static Map<AlarmKind, RuleState> own(EnumMap<AlarmKind, RuleState> rules) {
    return new Rules(rules);
  }

  /** After a reading at {@code t}: valid ones also move the newest valid time and temperature. */
  UnitState afterSample(long t, boolean valid, double celsius, Map<AlarmKind, RuleState> rules) {
    return new UnitState(watchSince, t, valid ? t : lastValidAt, valid ? celsius : lastCelsius, rules,
        valid ? NEVER : monitoringLostSince, stayStart, calibrationDue, calibrationOverdueSince);
  }

  /**
   * A state's rules: a read-only view of an {@link EnumMap} no one else holds, so the states
   * that share it never see it change. Equal to any map with the same entries.
   */
  private static final class Rules extends AbstractMap<AlarmKind, RuleState> {
    private final EnumMap<AlarmKind, RuleState> owned;
    private final Map<AlarmKind, RuleState> view;

    Rules(EnumMap<AlarmKind, RuleState> owned) {
      this.owned = owned;
      this.view = Collections.unmodifiableMap(owned);
    }

    @Override
    public Set<Entry<AlarmKind, RuleState>> entrySet() {
      return view.entrySet();
    }

    @Override
    public RuleState get(Object kind) {
      return view.get(kind);
    }

    @Override
    public boolean containsKey(Object kind) {
      return view.containsKey(kind);
    }

    @Override
    public int size() {
      return view.size();
    }
  }
}
