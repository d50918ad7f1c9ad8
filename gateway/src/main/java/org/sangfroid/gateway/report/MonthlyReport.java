package org.sangfroid.gateway.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.IntConsumer;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Sample;
import org.sangfroid.core.stats.PeriodCalculator;
import org.sangfroid.core.stats.PeriodStats;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Site;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.SignatureRow;

/**
 * The monthly report of one unit: per day (in the gateway's zone) the lowest, highest and mean
 * temperature and the time out of range; for the month the mean kinetic temperature (core's
 * {@link PeriodCalculator}: for information only, never a release criterion) and the month's
 * alarms with their response times; and its signatures.
 *
 * <p>{@link #contentHash()} is the SHA-256 of the report's data as canonical JSON (temperatures
 * rounded to 0.001 °C): what a signature covers. It is computed again whenever the report is
 * shown, so late readings or a change to an alarm after signing show as a signature that no
 * longer matches.
 *
 * @param month the month, in the gateway's zone
 * @param days one line per day of the month, up to {@code to}
 * @param whole the month as one period
 * @param to the end of the period covered: the month's end, or the time it was made while the
 *     month is not over
 * @param signatures the report's signatures, oldest first
 */
public record MonthlyReport(Unit unit, String siteName, YearMonth month, ZoneId zone, long from, long to,
    List<Day> days, PeriodStats whole, List<AlarmRow> alarms, List<SignatureRow> signatures) {

  /** A year of one reading a minute, with room for a second probe: the most one month report reads. */
  static final int MAX_READINGS = 1_100_000;

  public MonthlyReport {
    days = List.copyOf(days);
    alarms = List.copyOf(alarms);
    signatures = List.copyOf(signatures);
  }

  /** One day of the month. */
  public record Day(LocalDate date, PeriodStats stats) {}

  /** The month as written in the database and in URLs: {@code 2026-11}. */
  public String period() {
    return month.toString();
  }

  /** True when the whole month is in the past: only then may the report be signed. */
  public boolean complete() {
    return to == month.atEndOfMonth().plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
  }

  /** The newest signature, if any. */
  public Optional<SignatureRow> lastSignature() {
    return signatures.isEmpty() ? Optional.empty()
        : Optional.of(signatures.get(signatures.size() - 1));
  }

  /** True when the newest signature covers the data as it is now. */
  public boolean signatureMatches() {
    return lastSignature().map(s -> s.contentHash().equals(contentHash())).orElse(false);
  }

  /** Raised → acknowledged, in ms; empty while not acknowledged. */
  public static OptionalLong toAcknowledge(AlarmRow a) {
    return a.acknowledged().map(k -> OptionalLong.of(k.at() - a.raisedAt())).orElse(OptionalLong.empty());
  }

  /** Raised → closed, in ms; empty while not closed. */
  public static OptionalLong toClose(AlarmRow a) {
    return a.closed().map(c -> OptionalLong.of(c.at() - a.raisedAt())).orElse(OptionalLong.empty());
  }

  /**
   * Gathers the report from the store.
   *
   * @param now the gateway clock: a month not over yet is reported up to now
   * @param progress told the percentage done, 0 to 100, as the days are computed
   */
  public static MonthlyReport of(Unit unit, YearMonth month, ZoneId zone, GatewayStore store, Fleet fleet, long now,
      IntConsumer progress) {
    long from = month.atDay(1).atStartOfDay(zone).toInstant().toEpochMilli();
    long end = month.atEndOfMonth().plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
    long to = Math.max(from + 1, Math.min(end, now));
    Profile p = unit.profile();
    long hold = p.monitoringLostAfter().toMillis();
    progress.accept(0);
    List<Sample> samples = store.readings(unit.id(), from - hold, to, MAX_READINGS).stream()
        .map(r -> new Sample(r.time(), r.value().orElse(Double.NaN), r.value().isPresent())).toList();
    progress.accept(20);
    List<Day> days = new ArrayList<>();
    int first = 0;
    int total = month.lengthOfMonth();
    for (LocalDate d = month.atDay(1); !d.isAfter(month.atEndOfMonth()); d = d.plusDays(1)) {
      long dFrom = d.atStartOfDay(zone).toInstant().toEpochMilli();
      long dTo = Math.min(d.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli(), to);
      if (dFrom >= to) {
        break;
      }
      while (first < samples.size() && samples.get(first).time() < dFrom - hold) {
        first++;
      }
      int last = first;
      while (last < samples.size() && samples.get(last).time() < dTo) {
        last++;
      }
      // one sample past the day: it ends the time the day's last reading stands for
      List<Sample> slice = samples.subList(first, Math.min(samples.size(), last + 1));
      days.add(new Day(d, PeriodCalculator.compute(slice, dFrom, dTo, p)));
      progress.accept(20 + 70 * d.getDayOfMonth() / total);
    }
    PeriodStats whole = PeriodCalculator.compute(samples, from, to, p);
    List<AlarmRow> alarms = store.alarmsOfUnit(unit.id(), from, to, 1_000);
    String site = fleet.site(unit.site()).map(Site::name).orElse(unit.site());
    progress.accept(90);
    return new MonthlyReport(unit, site, month, zone, from, to, days, whole, alarms,
        store.signatures(unit.id(), month.toString()));
  }

  /** The report's data as canonical JSON: what its hash, and so a signature, covers. */
  public String canonicalData() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", 1);
    m.put("unit", unit.id());
    m.put("month", period());
    m.put("zone", zone.getId());
    m.put("from", from);
    m.put("to", to);
    Profile p = unit.profile();
    m.put("profile", Map.of("id", p.id(), "low", p.hasLow() ? round(p.low()) : "none", "high",
        p.hasHigh() ? round(p.high()) : "none"));
    List<Object> dayList = new ArrayList<>();
    for (Day d : days) {
      Map<String, Object> x = stats(d.stats());
      x.put("date", d.date().toString());
      dayList.add(x);
    }
    m.put("days", dayList);
    m.put("whole", stats(whole));
    List<Object> alarmList = new ArrayList<>();
    for (AlarmRow a : alarms) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("id", a.id());
      x.put("kind", a.kind().name());
      x.put("startedAt", a.startedAt());
      x.put("raisedAt", a.raisedAt());
      x.put("clearedAt", a.clearedAt().isPresent() ? a.clearedAt().getAsLong() : null);
      x.put("peak", value(a.peak()));
      x.put("acknowledgedBy", a.acknowledged().map(k -> k.user()).orElse(null));
      x.put("acknowledgedAt", a.acknowledged().map(k -> k.at()).orElse(null));
      x.put("closedBy", a.closed().map(c -> c.user()).orElse(null));
      x.put("closedAt", a.closed().map(c -> c.at()).orElse(null));
      x.put("disposition", a.closed().map(c -> c.disposition().wire()).orElse(null));
      alarmList.add(x);
    }
    m.put("alarms", alarmList);
    return AuditTrail.canonicalJson(m);
  }

  /** SHA-256, hex, of {@link #canonicalData()}. */
  public String contentHash() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(canonicalData().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static Map<String, Object> stats(PeriodStats s) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("readings", s.readings());
    x.put("invalid", s.invalidReadings());
    x.put("min", value(s.min()));
    x.put("max", value(s.max()));
    x.put("mean", value(s.mean()));
    x.put("mkt", value(s.meanKinetic()));
    x.put("belowMs", s.belowMillis());
    x.put("aboveMs", s.aboveMillis());
    x.put("uncoveredMs", s.uncoveredMillis());
    x.put("excursions", s.excursions());
    return x;
  }

  private static Object value(OptionalDouble d) {
    return d.isPresent() ? round(d.getAsDouble()) : null;
  }

  private static double round(double d) {
    return Math.round(d * 1000) / 1000.0;
  }
}
