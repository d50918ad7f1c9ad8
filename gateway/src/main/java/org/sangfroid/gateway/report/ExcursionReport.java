package org.sangfroid.gateway.report;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Rule;
import org.sangfroid.core.excursion.Sample;
import org.sangfroid.core.stats.PeriodCalculator;
import org.sangfroid.core.stats.PeriodStats;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Site;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.store.AlarmHistoryRow;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.DeliveryRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.ReadingRow;

/**
 * What the excursion report of one alarm says: the alarm, its history and notifications, and the
 * readings around it (measurement times, epoch ms).
 *
 * @param unitName the unit's name (its id when it is no longer configured)
 * @param profile the unit's profile, if the unit is still configured
 * @param rule the rule that raised the alarm, when it is a temperature-limit rule
 * @param end the end of the alarm's condition, or {@code now} while it holds
 * @param from the start of the readings shown (before the alarm started)
 * @param to the end of the readings shown (after it ended)
 * @param readings the unit's readings from {@code from} to {@code to}, oldest first
 * @param peak the worst temperature of the alarm
 * @param exposureMillis time beyond the rule's limit (else outside the acceptable range) from the
 *     alarm's start to its end
 * @param windowExposureMillis for a cumulative rule with a window: the time beyond its limit in the
 *     window that ended when the alarm was raised
 * @param episodes separate excursions beyond the limit in the readings shown
 */
public record ExcursionReport(AlarmRow alarm, String siteName, String unitName, Optional<Profile> profile,
    Optional<Rule.Limit> rule, List<AlarmHistoryRow> history, List<DeliveryRow> deliveries, long end, long from,
    long to, List<ReadingRow> readings, OptionalDouble peak, long exposureMillis,
    Optional<Long> windowExposureMillis, int episodes) {

  /** Readings before and after the alarm shown in the report: at least an hour, or a quarter of its length. */
  static final Duration MARGIN = Duration.ofHours(1);
  /** Readings read for one report: a year-long alarm's chart is drawn from the first ones. */
  static final int MAX_READINGS = 200_000;

  public ExcursionReport {
    history = List.copyOf(history);
    deliveries = List.copyOf(deliveries);
    readings = List.copyOf(readings);
  }

  /** How long the condition lasted (so far, while it holds). */
  public long durationMillis() {
    return end - alarm.startedAt();
  }

  /** True while the alarm's condition still holds. */
  public boolean ongoing() {
    return alarm.conditionOn();
  }

  /** The acceptable range's limits, if the unit is still configured: NaN for none. */
  public double low() {
    return profile.filter(Profile::hasLow).map(Profile::low).orElse(Double.NaN);
  }

  public double high() {
    return profile.filter(Profile::hasHigh).map(Profile::high).orElse(Double.NaN);
  }

  /** Gathers the report of {@code alarm} from the store; {@code now} (gateway clock) ends an alarm still on. */
  public static ExcursionReport of(AlarmRow alarm, GatewayStore store, Fleet fleet, long now) {
    Optional<Unit> unit = fleet.unit(alarm.unit());
    Optional<Profile> profile = unit.map(Unit::profile);
    Optional<Rule.Limit> rule = profile.flatMap(p -> p.rule(alarm.kind())).filter(Rule.Limit.class::isInstance)
        .map(Rule.Limit.class::cast);
    long end = alarm.clearedAt().orElse(Math.max(now, alarm.raisedAt()));
    long margin = Math.max(MARGIN.toMillis(), (end - alarm.startedAt()) / 4);
    long from = alarm.startedAt() - margin;
    long to = end + margin;
    List<ReadingRow> readings = store.readings(alarm.unit(), from, to, MAX_READINGS);
    List<Sample> samples = readings.stream()
        .map(r -> new Sample(r.time(), r.value().orElse(Double.NaN), r.value().isPresent())).toList();
    Duration hold = profile.map(Profile::monitoringLostAfter).orElse(Duration.ofMinutes(10));

    double low = rule.map(r -> r.above() ? Double.NEGATIVE_INFINITY : r.limit())
        .orElse(profile.map(Profile::low).orElse(Double.NEGATIVE_INFINITY));
    double high = rule.map(r -> r.above() ? r.limit() : Double.POSITIVE_INFINITY)
        .orElse(profile.map(Profile::high).orElse(Double.POSITIVE_INFINITY));
    long exposure = 0;
    int episodes = 0;
    OptionalDouble peak = alarm.peak();
    if (low < high && (low != Double.NEGATIVE_INFINITY || high != Double.POSITIVE_INFINITY)) {
      if (end > alarm.startedAt()) {
        PeriodStats during = PeriodCalculator.compute(samples, alarm.startedAt(), end, low, high, hold,
            PeriodCalculator.DEFAULT_DH_OVER_R);
        exposure = during.outOfRangeMillis();
        if (peak.isEmpty()) {
          peak = high != Double.POSITIVE_INFINITY ? during.max() : during.min();
        }
      }
      if (to > from) {
        episodes = PeriodCalculator.compute(samples, from, to, low, high, hold, PeriodCalculator.DEFAULT_DH_OVER_R)
            .excursions();
      }
    }
    Optional<Long> windowExposure = Optional.empty();
    if (rule.isPresent() && rule.get() instanceof Rule.Cumulative c && c.window().isPresent()) {
      long wFrom = alarm.raisedAt() - c.window().get().toMillis();
      List<Sample> window = store.readings(alarm.unit(), wFrom - hold.toMillis(), alarm.raisedAt(), MAX_READINGS)
          .stream().map(r -> new Sample(r.time(), r.value().orElse(Double.NaN), r.value().isPresent())).toList();
      if (alarm.raisedAt() > wFrom) {
        windowExposure = Optional.of(PeriodCalculator.compute(window, wFrom, alarm.raisedAt(), low, high, hold,
            PeriodCalculator.DEFAULT_DH_OVER_R).outOfRangeMillis());
      }
    }
    String siteName = fleet.site(alarm.site()).map(Site::name).orElse(alarm.site());
    String unitName = unit.map(Unit::name).orElse(alarm.unit());
    return new ExcursionReport(alarm, siteName, unitName, profile, rule, store.alarmHistory(alarm.id()),
        store.alarmDeliveries(alarm.id()), end, from, to, readings, peak, exposure, windowExposure, episodes);
  }
}
