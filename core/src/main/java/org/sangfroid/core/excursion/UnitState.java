package org.sangfroid.core.excursion;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

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
 */
public record UnitState(
    long watchSince,
    long lastSampleAt,
    long lastValidAt,
    double lastCelsius,
    Map<AlarmKind, RuleState> rules,
    long monitoringLostSince) {

  /** "No such time yet". */
  public static final long NEVER = Long.MIN_VALUE;

  public UnitState {
    EnumMap<AlarmKind, RuleState> copy = new EnumMap<>(AlarmKind.class);
    copy.putAll(rules);
    rules = Collections.unmodifiableMap(copy);
  }

  /** A unit whose monitoring starts at {@code watchSince}. */
  public static UnitState start(long watchSince) {
    return new UnitState(watchSince, NEVER, NEVER, Double.NaN, Map.of(), NEVER);
  }

  /** The state against the rule raising {@code kind} ({@link RuleState#NORMAL} if untouched). */
  public RuleState rule(AlarmKind kind) {
    return rules.getOrDefault(kind, RuleState.NORMAL);
  }

  /** True while a monitoring-lost alarm is active. */
  public boolean monitoringLost() {
    return monitoringLostSince != NEVER;
  }

  /** True when the temperature is outside the acceptable range while the alarm delay runs. */
  public boolean outOfRangeWithinDelay() {
    return rule(AlarmKind.HIGH_TEMPERATURE).phase() == RuleState.Phase.PENDING
        || rule(AlarmKind.LOW_TEMPERATURE).phase() == RuleState.Phase.PENDING;
  }
}
