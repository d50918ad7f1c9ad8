package org.sangfroid.core.excursion;

/**
 * Everything the engine remembers about one unit. A plain value: the gateway stores it with
 * the readings so a restart continues where it stopped.
 *
 * @param watchSince when monitoring of the unit began (epoch ms), the reference for
 *     monitoring-lost before the first valid reading
 * @param lastSampleAt measurement time of the newest reading evaluated, or {@link #NEVER}
 * @param lastValidAt measurement time of the newest valid reading, or {@link #NEVER}
 * @param lastCelsius the newest valid temperature, {@code NaN} before the first
 * @param high state against the upper limit
 * @param low state against the lower limit
 * @param monitoringLostSince start of the current monitoring-lost alarm, or {@link #NEVER}
 */
public record UnitState(
    long watchSince,
    long lastSampleAt,
    long lastValidAt,
    double lastCelsius,
    LimitState high,
    LimitState low,
    long monitoringLostSince) {

  /** "No such time yet". */
  public static final long NEVER = Long.MIN_VALUE;

  /** A unit whose monitoring starts at {@code watchSince}. */
  public static UnitState start(long watchSince) {
    return new UnitState(watchSince, NEVER, NEVER, Double.NaN, LimitState.NORMAL, LimitState.NORMAL, NEVER);
  }

  /** True while a monitoring-lost alarm is active. */
  public boolean monitoringLost() {
    return monitoringLostSince != NEVER;
  }
}
