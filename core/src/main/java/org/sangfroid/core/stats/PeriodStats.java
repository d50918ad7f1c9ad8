package org.sangfroid.core.stats;

import java.util.OptionalDouble;

/**
 * A unit's temperatures over the period [{@code from}, {@code to}), for reports. Every duration
 * is in ms of measurement time and counts only time covered by a valid reading (see
 * {@link PeriodCalculator}); the rest is {@link #uncoveredMillis()}, never "in range".
 *
 * @param from start of the period, epoch ms
 * @param to end of the period (excluded), epoch ms
 * @param coveredMillis time for which a valid reading stands
 * @param readings valid readings used: those measured in the period, and one before it still
 *     standing at its start
 * @param invalidReadings invalid readings (probe faults) measured in the period
 * @param min lowest temperature of the readings used, °C; empty without any
 * @param max highest temperature of the readings used, °C; empty without any
 * @param mean time-weighted mean over the covered time, °C; empty when nothing is covered
 * @param meanKinetic mean kinetic temperature over the covered time, °C; empty when nothing is
 *     covered
 * @param belowMillis covered time below the low limit
 * @param aboveMillis covered time above the high limit
 * @param excursions separate stretches beyond a limit: one starts at a reading beyond a limit
 *     after one inside (or at the period's first reading); gaps and invalid readings neither
 *     start nor end one
 */
public record PeriodStats(
    long from,
    long to,
    long coveredMillis,
    int readings,
    int invalidReadings,
    OptionalDouble min,
    OptionalDouble max,
    OptionalDouble mean,
    OptionalDouble meanKinetic,
    long belowMillis,
    long aboveMillis,
    int excursions) {

  /** The part of the period without a valid reading standing for it. */
  public long uncoveredMillis() {
    return to - from - coveredMillis;
  }

  /** Covered time beyond either limit. */
  public long outOfRangeMillis() {
    return belowMillis + aboveMillis;
  }
}
