package org.sangfroid.gateway.report;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.sangfroid.core.stats.PeriodStats;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.SignatureRow;

/** The monthly report of one unit as PDF and its daily table as CSV, in the reader's language. */
public final class MonthlyDocuments {
  private MonthlyDocuments() {}

  /** "November 2026", "novembre 2026". */
  public static String monthName(MonthlyReport r, Words w) {
    return r.month().format(DateTimeFormatter.ofPattern("LLLL yyyy", w.locale()));
  }

  public static Map<String, String> facts(MonthlyReport r, Words w) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put(w.t("report.site"), r.siteName());
    f.put(w.t("report.unit"), r.unit().name() + " (" + r.unit().id() + ")");
    f.put(w.t("report.profile"), r.unit().profile().id());
    f.put(w.t("report.range"), ExcursionDocuments.range(r.unit().profile(), w));
    f.put(w.t("report.period"), w.t("report.fromTo", w.time(r.from()), w.time(r.to()))
        + (r.complete() ? "" : " — " + w.t("report.incomplete")));
    f.put(w.t("report.timeZone"), r.zone().getId());
    PeriodStats s = r.whole();
    f.put(w.t("report.readings"), Integer.toString(s.readings()) + (s.invalidReadings() > 0
        ? " (" + w.t("report.invalid", s.invalidReadings()) + ")" : ""));
    f.put(w.t("report.min"), w.celsius(s.min()));
    f.put(w.t("report.max"), w.celsius(s.max()));
    f.put(w.t("report.mean"), w.celsius(s.mean()));
    f.put(w.t("report.mkt"), w.celsius(s.meanKinetic()) + " — " + w.t("report.mktNote"));
    f.put(w.t("report.outOfRange"), w.duration(s.outOfRangeMillis()) + " (" + w.t("report.aboveBelow",
        w.duration(s.aboveMillis()), w.duration(s.belowMillis())) + ")");
    f.put(w.t("report.uncovered"), w.duration(s.uncoveredMillis()));
    f.put(w.t("report.excursions"), Integer.toString(s.excursions()));
    f.put(w.t("report.alarms"), Integer.toString(r.alarms().size()));
    return f;
  }

  /** What the report says of its signature: signed by whom and when, and whether the data still matches. */
  public static List<String> signature(MonthlyReport r, Words w) {
    List<String> lines = new ArrayList<>();
    if (r.lastSignature().isEmpty()) {
      lines.add(w.t("report.notSigned"));
      lines.add(w.t("report.hashNow", r.contentHash()));
      return lines;
    }
    SignatureRow s = r.lastSignature().get();
    lines.add(w.t("report.signedBy", s.signedBy(), w.time(s.signedAt())));
    lines.add("“" + s.statement() + "”" + s.comment().map(c -> " — " + c).orElse(""));
    lines.add(w.t("report.hashSigned", s.contentHash()));
    if (r.signatureMatches()) {
      lines.add(w.t("report.signatureMatches"));
    } else {
      lines.add(w.t("report.signatureStale"));
      lines.add(w.t("report.hashNow", r.contentHash()));
    }
    return lines;
  }

  public static List<String> dayRow(MonthlyReport.Day d, Words w) {
    PeriodStats s = d.stats();
    return List.of(w.date(d.date()), Integer.toString(s.readings()), w.celsius(s.min()), w.celsius(s.max()),
        w.celsius(s.mean()), w.duration(s.outOfRangeMillis()), w.duration(s.uncoveredMillis()));
  }

  public static List<String> dayHeader(Words w) {
    return List.of(w.t("report.col.date"), w.t("report.col.readings"), w.t("report.col.min"),
        w.t("report.col.max"), w.t("report.col.mean"), w.t("report.col.outOfRange"), w.t("report.col.noData"));
  }

  public static List<String> alarmRow(AlarmRow a, Words w) {
    return List.of("#" + a.id(), w.t("kind." + a.kind().name()), w.time(a.startedAt()), w.celsius(a.peak()),
        response(MonthlyReport.toAcknowledge(a), w), response(MonthlyReport.toClose(a), w),
        a.closed().map(c -> w.t("disposition." + c.disposition().wire())).orElse("—"));
  }

  public static List<String> alarmHeader(Words w) {
    return List.of(w.t("report.col.alarm"), w.t("report.col.kind"), w.t("report.col.started"),
        w.t("report.col.peak"), w.t("report.col.toAcknowledge"), w.t("report.col.toClose"),
        w.t("report.col.disposition"));
  }

  private static String response(OptionalLong ms, Words w) {
    return ms.isPresent() ? w.duration(ms.getAsLong()) : w.t("report.notYet");
  }

  /** The report as PDF. */
  public static byte[] pdf(MonthlyReport r, Words w, long generatedAt) {
    String title = w.t("report.monthly.title", r.unit().name(), monthName(r, w));
    try (Pdf pdf = new Pdf(title, "Sangfroid · " + w.t("report.generated", w.time(generatedAt)) + " · "
        + r.unit().id() + " · " + r.period())) {
      pdf.title(title);
      facts(r, w).forEach(pdf::fact);
      pdf.heading(w.t("report.signature"));
      for (String line : signature(r, w)) {
        pdf.paragraph(line, 9.5f);
      }
      pdf.heading(w.t("report.daily"));
      float[] widths = {95, 55, 60, 60, 60, 82, Pdf.WIDTH - 412};
      pdf.table(dayHeader(w), r.days().stream().map(d -> dayRow(d, w)).toList(), widths, 8.5f);
      pdf.heading(w.t("report.alarmsOfMonth"));
      if (r.alarms().isEmpty()) {
        pdf.paragraph(w.t("report.noAlarms"), 9.5f);
      } else {
        pdf.table(alarmHeader(w), r.alarms().stream().map(a -> alarmRow(a, w)).toList(),
            new float[] {35, 100, 95, 55, 65, 65, Pdf.WIDTH - 415}, 8);
      }
      return pdf.finish();
    }
  }

  /** The daily table as CSV, after a header block (unit, month, signature). */
  public static byte[] csv(MonthlyReport r, Words w, long generatedAt) {
    Csv csv = new Csv(w);
    csv.row("Sangfroid", w.t("report.monthly.title", r.unit().name(), monthName(r, w)));
    csv.row(w.t("report.generatedLabel"), csv.time(generatedAt));
    csv.row(w.t("report.unit"), r.unit().id());
    csv.row(w.t("report.month"), r.period());
    csv.row(w.t("report.timeZone"), r.zone().getId());
    csv.row(w.t("report.mkt"), r.whole().meanKinetic());
    csv.row(w.t("report.contentHash"), r.contentHash());
    for (String line : signature(r, w)) {
      csv.row(w.t("report.signature"), line);
    }
    csv.row();
    csv.row(w.t("report.col.date"), w.t("report.col.readings"), w.t("report.col.invalid"), w.t("report.col.minC"),
        w.t("report.col.maxC"), w.t("report.col.meanC"), w.t("report.col.aboveMin"), w.t("report.col.belowMin"),
        w.t("report.col.noDataMin"));
    for (MonthlyReport.Day d : r.days()) {
      PeriodStats s = d.stats();
      csv.row(d.date().toString(), s.readings(), s.invalidReadings(), s.min(), s.max(), s.mean(),
          s.aboveMillis() / 60_000.0, s.belowMillis() / 60_000.0, s.uncoveredMillis() / 60_000.0);
    }
    return csv.bytes();
  }

  /** {@code monthly-rbc-fridge-1-2026-11.pdf}. */
  public static String fileName(MonthlyReport r, String extension) {
    return "monthly-" + r.unit().id() + "-" + r.period() + "." + extension;
  }
}
