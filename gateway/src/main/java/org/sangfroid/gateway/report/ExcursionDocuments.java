package org.sangfroid.gateway.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Rule;
import org.sangfroid.gateway.store.AlarmHistoryRow;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.DeliveryRow;
import org.sangfroid.gateway.store.ReadingRow;

/** The excursion report of one alarm as PDF and as CSV, in the reader's language. */
public final class ExcursionDocuments {
  private ExcursionDocuments() {}

  /** One line of the report's timeline. */
  record Step(long at, String event, String who, String details) {}

  /** The alarm's history and its notifications, in time order. */
  static List<Step> timeline(ExcursionReport r, Words w) {
    List<Step> steps = new ArrayList<>();
    for (AlarmHistoryRow h : r.history()) {
      String who = h.actor().equals("system") ? w.t("report.system") : h.actor();
      String details = h.comment().orElse("");
      if (h.event().equals("closed") && r.alarm().closed().isPresent()) {
        details = w.t("report.closedDetails", r.alarm().closed().get().rootCause(),
            w.t("disposition." + r.alarm().closed().get().disposition().wire()));
      }
      steps.add(new Step(h.at(), w.t("event." + h.event()), who, details));
    }
    for (DeliveryRow d : r.deliveries()) {
      String event = d.event().equals("escalated") ? w.t("report.notified.escalated", d.level())
          : w.t("report.notified." + d.event());
      String outcome = d.deliveredAt().isPresent() ? w.t("report.delivered", w.time(d.deliveredAt().getAsLong()))
          : d.deadAt().isPresent() ? w.t("report.givenUp", d.attempts()) : w.t("report.pending");
      steps.add(new Step(d.createdAt(), event, w.t("report.system"), d.channel() + " → " + d.target() + " — "
          + outcome));
    }
    steps.sort(Comparator.comparingLong(Step::at));
    return steps;
  }

  /** The facts at the top of the report, label to value. */
  static Map<String, String> facts(ExcursionReport r, Words w) {
    AlarmRow a = r.alarm();
    Map<String, String> f = new LinkedHashMap<>();
    f.put(w.t("report.site"), r.siteName());
    f.put(w.t("report.unit"), r.unitName() + " (" + a.unit() + ")");
    r.profile().ifPresent(p -> f.put(w.t("report.profile"), p.id() + (p.title() == null || p.title().isBlank() ? ""
        : " — " + p.title())));
    r.profile().ifPresent(p -> f.put(w.t("report.range"), range(p, w)));
    f.put(w.t("report.kind"), w.t("kind." + a.kind().name()));
    r.rule().ifPresent(rule -> f.put(w.t("report.ruleLimit"), limit(rule, w)));
    f.put(w.t("report.state"), w.t("alarmState." + a.state().name()));
    f.put(w.t("report.started"), w.time(a.startedAt()));
    f.put(w.t("report.raised"), w.time(a.raisedAt()) + (a.late() ? " — " + w.t("report.late") : ""));
    f.put(w.t("report.cleared"), a.clearedAt().isPresent() ? w.time(a.clearedAt().getAsLong())
        : w.t("report.stillOn"));
    f.put(w.t("report.duration"), w.duration(r.durationMillis()) + (r.ongoing() ? " " + w.t("report.soFar") : ""));
    f.put(w.t("report.peak"), w.celsius(r.peak()));
    f.put(w.t("report.exposure"), w.duration(r.exposureMillis()));
    if (r.rule().isPresent() && r.rule().get() instanceof Rule.Cumulative c) {
      f.put(w.t("report.allowance"), c.window().isPresent()
          ? w.t("report.allowanceWindow", w.duration(c.allowance().toMillis()), w.duration(c.window().get().toMillis()))
          : w.t("report.allowanceStay", w.duration(c.allowance().toMillis())));
      r.windowExposureMillis().ifPresent(e -> f.put(w.t("report.windowExposure"), w.duration(e)));
    }
    if (r.rule().isPresent() && r.rule().get() instanceof Rule.Episodes e) {
      f.put(w.t("report.episodes"), w.t("report.episodesOf", r.episodes(), e.allowed()));
    } else {
      f.put(w.t("report.episodes"), Integer.toString(r.episodes()));
    }
    f.put(w.t("report.acknowledged"), a.acknowledged().map(k -> w.t("report.byAt", k.user(), w.time(k.at()))
        + " — " + k.comment()).orElse(w.t("report.notYet")));
    f.put(w.t("report.closed"), a.closed().map(c -> w.t("report.byAt", c.user(), w.time(c.at()))).orElse(
        w.t("report.notYet")));
    a.closed().ifPresent(c -> {
      f.put(w.t("report.rootCause"), c.rootCause());
      f.put(w.t("report.disposition"), w.t("disposition." + c.disposition().wire()));
    });
    return f;
  }

  static String range(Profile p, Words w) {
    if (p.hasLow() && p.hasHigh()) {
      return w.t("report.rangeBetween", w.celsius(p.low()), w.celsius(p.high()));
    }
    return p.hasHigh() ? "≤ " + w.celsius(p.high()) : "≥ " + w.celsius(p.low());
  }

  private static String limit(Rule.Limit r, Words w) {
    String op = r.above() ? (r.inclusive() ? "≥ " : "> ") : (r.inclusive() ? "≤ " : "< ");
    return op + w.celsius(r.limit());
  }

  /** Who did what: each person (not the system) and their actions. */
  static Map<String, List<String>> people(ExcursionReport r, Words w) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (AlarmHistoryRow h : r.history()) {
      if (!h.actor().equals("system")) {
        m.computeIfAbsent(h.actor(), k -> new ArrayList<>()).add(w.t("event." + h.event()) + " (" + w.time(h.at())
            + ")");
      }
    }
    return m;
  }

  /** The report as PDF; {@code generatedAt} (gateway clock) is printed on every page. */
  public static byte[] pdf(ExcursionReport r, Words w, long generatedAt) {
    String title = w.t("report.excursion.title", r.alarm().id());
    try (Pdf pdf = new Pdf(title, "Sangfroid · " + w.t("report.generated", w.time(generatedAt)) + " · "
        + r.unitName())) {
      pdf.title(title);
      pdf.paragraph(r.unitName() + " — " + r.siteName(), 10);
      pdf.space(4);
      facts(r, w).forEach(pdf::fact);
      pdf.heading(w.t("report.chart"));
      pdf.paragraph(w.t("report.chartFrom", w.time(r.from()), w.time(r.to())), 8);
      double limit = r.rule().map(Rule.Limit::limit).orElse(Double.NaN);
      long gap = r.profile().map(p -> p.monitoringLostAfter().toMillis()).orElse(600_000L);
      Chart.draw(pdf, w, r.readings(), r.from(), r.to(), r.low(), r.high(), limit, r.alarm().startedAt(), r.end(),
          gap, 220);
      pdf.heading(w.t("report.timeline"));
      List<List<String>> rows = new ArrayList<>();
      for (Step s : timeline(r, w)) {
        rows.add(List.of(w.time(s.at()), s.event(), s.who(), s.details()));
      }
      pdf.table(List.of(w.t("report.col.time"), w.t("report.col.event"), w.t("report.col.who"),
          w.t("report.col.details")), rows, new float[] {128, 112, 70, Pdf.WIDTH - 310}, 8.5f);
      pdf.heading(w.t("report.people"));
      Map<String, List<String>> people = people(r, w);
      if (people.isEmpty()) {
        pdf.paragraph(w.t("report.nobody"), 9.5f);
      }
      people.forEach((who, did) -> pdf.fact(who, String.join("; ", did)));
      return pdf.finish();
    }
  }

  /** The report as CSV: a header block of facts, a blank line, then the readings of the period shown. */
  public static byte[] csv(ExcursionReport r, Words w, long generatedAt) {
    Csv csv = new Csv(w);
    csv.row("Sangfroid", w.t("report.excursion.title", r.alarm().id()));
    csv.row(w.t("report.generatedLabel"), csv.time(generatedAt));
    csv.row(w.t("report.timeZone"), w.zone().getId());
    facts(r, w).forEach((k, v) -> csv.row(k, v));
    csv.row(w.t("report.readingsFrom"), csv.time(r.from()));
    csv.row(w.t("report.readingsTo"), csv.time(r.to()));
    for (Step s : timeline(r, w)) {
      csv.row(w.t("report.timeline"), csv.time(s.at()), s.event(), s.who(), s.details());
    }
    csv.row();
    csv.row(w.t("report.col.localTime"), w.t("report.col.utc"), w.t("report.col.sensor"),
        w.t("report.col.celsius"), w.t("report.col.quality"), w.t("report.col.inAlarm"));
    long start = r.alarm().startedAt();
    for (ReadingRow x : r.readings()) {
      boolean in = x.time() >= start && x.time() <= r.end();
      csv.row(csv.time(x.time()), java.time.Instant.ofEpochMilli(x.time()).toString(), x.sensor(), x.value(),
          x.quality().wire(), in ? w.t("report.yes") : w.t("report.no"));
    }
    return csv.bytes();
  }

  /** The file name for this report: {@code excursion-12-rbc-fridge-1.pdf}. */
  public static String fileName(AlarmRow a, String extension) {
    return "excursion-" + a.id() + "-" + a.unit() + "." + extension;
  }
}
