package org.sangfroid.core.excursion;

/**
 * Where a unit stands against one rule. One shape for every rule kind, so the state stays a
 * plain value the gateway can store.
 *
 * @param phase normal; beyond the limit but not yet alarming (pending); or in alarm
 * @param since measurement time the current excursion (or, for an alarm that does not clear,
 *     the offending one) began, or {@link UnitState#NEVER}
 * @param raisedAt measurement time the alarm was raised, or {@link UnitState#NEVER}
 * @param peak the worst temperature since {@code since} ({@code NaN} when normal)
 * @param totalMillis cumulative rules: time beyond the limit so far
 * @param episodes episode rules: excursions counted so far
 * @param lastAt cumulative rules: the previous valid reading's time, or {@link UnitState#NEVER}
 * @param beyondAtLast cumulative and episode rules: whether the previous reading was beyond
 */
public record RuleState(Phase phase, long since, long raisedAt, double peak, long totalMillis, int episodes,
    long lastAt, boolean beyondAtLast) {

  /** The phases of a rule. */
  public enum Phase {
    NORMAL,
    PENDING,
    ALARM
  }

  /** Nothing happened yet. */
  public static final RuleState NORMAL =
      new RuleState(Phase.NORMAL, UnitState.NEVER, UnitState.NEVER, Double.NaN, 0, 0, UnitState.NEVER, false);

  RuleState with(Phase phase, long since, long raisedAt, double peak) {
    return new RuleState(phase, since, raisedAt, peak, totalMillis, episodes, lastAt, beyondAtLast);
  }
}
