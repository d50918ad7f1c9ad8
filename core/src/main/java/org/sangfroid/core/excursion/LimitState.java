package org.sangfroid.core.excursion;

/**
 * Where a unit stands against one limit.
 *
 * @param phase normal, beyond the limit but within the delay (pending), or in alarm
 * @param since measurement time the temperature first went beyond the limit (epoch ms), or
 *     {@link UnitState#NEVER}
 * @param raisedAt measurement time the alarm was raised, or {@link UnitState#NEVER}
 * @param peak the worst temperature since {@code since} ({@code NaN} when normal)
 */
public record LimitState(Phase phase, long since, long raisedAt, double peak) {
  /** The phases of a limit. */
  public enum Phase {
    NORMAL,
    PENDING,
    ALARM
  }

  /** Within the limit. */
  public static final LimitState NORMAL = new LimitState(Phase.NORMAL, UnitState.NEVER, UnitState.NEVER, Double.NaN);
}
