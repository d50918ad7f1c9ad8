package org.sangfroid.simulator.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.simulator.scenario.Durations;
import org.sangfroid.simulator.scenario.Scenario;

/**
 * The report as one self-contained HTML page (no script, no external file): the verdict, the
 * counts, a table of expected against raised alarms, and for each unit an inline SVG chart of
 * its stored temperatures with its profile's limits, the alarm spans and the timeline's events.
 */
public final class HtmlReport {
  private static final int W = 960;
  private static final int H = 260;
  private static final int LEFT = 56;
  private static final int RIGHT = 16;
  private static final int TOP = 14;
  private static final int BOTTOM = 28;
  private static final int LANE = 12;
  private static final String[] COLORS = {"#1f5fa8", "#2a9d8f", "#8e44ad", "#c0392b", "#7f8c8d"};

  private HtmlReport() {}

  /** Writes the page to {@code file}. */
  public static void write(RunReport r, Path file) {
    try {
      Files.writeString(file, render(r), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report " + file, e);
    }
  }

  /** The page. */
  public static String render(RunReport r) {
    Scenario s = r.scenario();
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(esc(s.name())).append(" — Sangfroid simulation report</title>\n<style>\n")
        .append("body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#222}")
        .append("h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}")
        .append("table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;")
        .append("text-align:left;vertical-align:top}th{background:#f3f3f3}")
        .append(".verdict{display:inline-block;padding:4px 12px;border-radius:4px;color:#fff;font-weight:600}")
        .append(".PASSED{background:#2e7d32}.FAILED{background:#c62828}.PENDING{background:#b26a00}")
        .append(".ok{color:#2e7d32}.bad{color:#c62828;font-weight:600}.wait{color:#b26a00}.muted{color:#777}")
        .append("code{font-size:12px}svg{background:#fff;border:1px solid #ddd}")
        .append("</style></head><body>\n");
    b.append("<h1>").append(esc(s.name())).append("</h1>\n");
    if (!s.description().isEmpty()) {
      b.append("<p>").append(esc(s.description())).append("</p>\n");
    }
    RunReport.Verdict v = r.verdict();
    b.append("<p><span class=\"verdict ").append(v).append("\">").append(v).append("</span> exit code ")
        .append(v.exitCode()).append("</p>\n");
    if (!r.problems().isEmpty()) {
      b.append("<ul>");
      r.problems().forEach(p -> b.append("<li class=\"bad\">").append(esc(p)).append("</li>"));
      b.append("</ul>\n");
    }
    if (!r.matching().pending().isEmpty()) {
      b.append("<p class=\"wait\">Pending: the gateway did not acknowledge the agents' door, power and agitator"
          + " events, so the alarms that need them cannot be checked yet.</p>\n");
    }
    summary(b, r);
    alarms(b, r);
    b.append("<h2>Units</h2>\n<p class=\"muted\">Temperatures as the gateway stored them. Solid lines: the"
        + " range's alarm limits; dashed: warnings; dotted: absolute, cumulative and episode limits. Shaded:"
        + " alarms (red) and warnings (orange) from start to clear; ▼ expected starts. Bars under the chart: the"
        + " timeline's events.</p>\n");
    for (RunReport.UnitTrace u : r.units()) {
      unit(b, r, u);
    }
    b.append("<p class=\"muted\">Sangfroid simulator. Same scenario and seed give the same readings (SHA-256"
        + " above).</p>\n</body></html>\n");
    return b.toString();
  }

  private static void summary(StringBuilder b, RunReport r) {
    Scenario s = r.scenario();
    RunReport.Counts c = r.counts();
    b.append("<h2>Run</h2>\n<table>\n");
    row(b, "Scenario file", r.source().isEmpty() ? "(built in code)" : r.source());
    row(b, "Seed", Long.toString(s.seed()));
    row(b, "Simulated", s.start() + " + " + Durations.human(s.duration()) + ", a reading every "
        + Durations.human(s.step()) + ", engine tick every " + Durations.human(s.tick()));
    row(b, "Real time", String.format(Locale.ROOT, "%.1f s (%,.0f× real time), after %.1f s to start the gateway"
        + " and connect the agents", r.wallTime().toMillis() / 1000.0, r.speedUp(), r.setupTime().toMillis() / 1000.0));
    row(b, "Readings", String.format(Locale.ROOT, "%,d taken, %,d sent, %,d stored, %,d dropped by a full outbox,"
        + " %,d still unsent at the end; %,d resends", c.taken(), c.sent(), c.stored(), c.dropped(), c.unsent(),
        c.resends()));
    row(b, "Agent events", c.events() + (c.events() == 0 ? "" : r.eventsAcknowledged()
        ? ", acknowledged by the gateway" : ", not acknowledged by the gateway"));
    row(b, "Readings SHA-256", "<code>" + r.readingsSha256() + "</code>", true);
    b.append("</table>\n");
  }

  private static void row(StringBuilder b, String k, String v) {
    row(b, k, esc(v), true);
  }

  private static void row(StringBuilder b, String k, String html, boolean raw) {
    b.append("<tr><th>").append(esc(k)).append("</th><td>").append(html).append("</td></tr>\n");
  }

  private static void alarms(StringBuilder b, RunReport r) {
    Instant start = r.scenario().start();
    b.append("<h2>Alarms: expected against raised</h2>\n<table>\n<tr><th>result</th><th>unit</th><th>kind</th>"
        + "<th>expected start</th><th>raised alarm's start</th><th>raised at</th><th>detection delay</th>"
        + "<th>cleared at</th><th>late</th></tr>\n");
    for (Matching.Match m : r.matching().matched()) {
      alarmRow(b, "<span class=\"ok\">matched</span>", m.expected().unit(), m.expected().kind(),
          "+" + Durations.human(m.expected().start()) + " ±" + Durations.human(m.expected().tolerance()),
          m.raised(), start, Durations.human(m.detectionDelay()));
    }
    for (Scenario.Expectation x : r.matching().missing()) {
      alarmRow(b, "<span class=\"bad\">missing</span>", x.unit(), x.kind(),
          "+" + Durations.human(x.start()) + " ±" + Durations.human(x.tolerance()), null, start, "");
    }
    for (Scenario.Expectation x : r.matching().pending()) {
      alarmRow(b, "<span class=\"wait\">pending</span>", x.unit(), x.kind(),
          "+" + Durations.human(x.start()) + " ±" + Durations.human(x.tolerance()), null, start, "");
    }
    for (RaisedAlarm a : r.matching().unexpected()) {
      alarmRow(b, "<span class=\"bad\">unexpected</span>", a.unit(), a.kind(), "", a, start, "");
    }
    for (RaisedAlarm a : r.matching().ignored()) {
      alarmRow(b, "<span class=\"muted\">ignored</span>", a.unit(), a.kind(), "", a, start, "");
    }
    b.append("</table>\n");
    if (r.matching().matched().isEmpty() && r.matching().missing().isEmpty() && r.matching().pending().isEmpty()
        && r.matching().unexpected().isEmpty() && r.matching().ignored().isEmpty()) {
      b.append("<p>No alarm was expected and none was raised.</p>\n");
    }
    if (!r.scenario().quiet().isEmpty()) {
      b.append("<p>Units expected to raise nothing: ").append(esc(String.join(", ", r.scenario().quiet().stream()
          .sorted().toList()))).append(".</p>\n");
    }
  }

  private static void alarmRow(StringBuilder b, String result, String unit, AlarmKind kind, String expected,
      RaisedAlarm a, Instant start, String delay) {
    b.append("<tr><td>").append(result).append("</td><td>").append(esc(unit)).append("</td><td>").append(kind)
        .append("</td><td>").append(esc(expected)).append("</td><td>")
        .append(a == null ? "" : "+" + RunReport.since(start, a.startedAt())).append("</td><td>")
        .append(a == null ? "" : "+" + RunReport.since(start, a.raisedAt())).append("</td><td>").append(esc(delay))
        .append("</td><td>").append(a == null ? "" : a.clearedAt().map(t -> "+" + RunReport.since(start, t))
            .orElse("not cleared"))
        .append("</td><td>").append(a != null && a.late() ? "late" : "").append("</td></tr>\n");
  }

  // ---- charts ----

  private static void unit(StringBuilder b, RunReport r, RunReport.UnitTrace u) {
    Scenario s = r.scenario();
    b.append("<h3>").append(esc(u.name())).append(" <span class=\"muted\">(").append(esc(u.id())).append(", ")
        .append(esc(u.kind())).append(", ").append(esc(u.profile())).append(", ")
        .append(String.format(Locale.ROOT, "%,d", u.readings().size())).append(" readings)</span></h3>\n");
    long t0 = s.start().toEpochMilli();
    long t1 = t0 + s.duration().toMillis();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (RunReport.Point p : u.readings()) {
      t0 = Math.min(t0, p.time().toEpochMilli());
      if (!Double.isNaN(p.celsius())) {
        lo = Math.min(lo, p.celsius());
        hi = Math.max(hi, p.celsius());
      }
    }
    if (lo > hi) {
      lo = 0;
      hi = 10;
    }
    for (RunReport.Limit l : u.limits()) {
      boolean range = l.kind().equals("HIGH_TEMPERATURE") || l.kind().equals("LOW_TEMPERATURE");
      if (range || (l.celsius() >= lo - 3 && l.celsius() <= hi + 3)) {
        lo = Math.min(lo, l.celsius());
        hi = Math.max(hi, l.celsius());
      }
    }
    double pad = Math.max(0.5, (hi - lo) * 0.08);
    lo -= pad;
    hi += pad;
    int lanes = (int) u.spans().stream().map(RunReport.Span::type).distinct().count();
    int height = H + lanes * LANE;
    Scale x = new Scale(t0, t1, LEFT, W - RIGHT);
    Scale y = new Scale(hi, lo, TOP, H - BOTTOM);
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(W).append(' ').append(height)
        .append("\" font-size=\"11\" font-family=\"system-ui,sans-serif\">\n");
    for (RaisedAlarm a : u.alarms()) {
      double from = x.at(a.startedAt().toEpochMilli());
      double to = x.at(a.clearedAt().map(Instant::toEpochMilli).orElse(t1));
      String fill = a.kind().severity() == AlarmKind.Severity.WARNING ? "#f39c12" : "#e53935";
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\""
          + " fill-opacity=\"0.13\"><title>%s %s, raised at +%s</title></rect>\n", from, TOP,
          Math.max(1, to - from), H - BOTTOM - TOP, fill, a.kind(), "from +" + RunReport.since(s.start(),
              a.startedAt()), RunReport.since(s.start(), a.raisedAt())));
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"%s\""
          + " stroke-width=\"1\"/>\n", x.at(a.raisedAt().toEpochMilli()), x.at(a.raisedAt().toEpochMilli()), TOP,
          H - BOTTOM, fill));
    }
    axes(b, x, y, s.start().toEpochMilli(), t0, t1, lo, hi);
    for (RunReport.Limit l : u.limits()) {
      if (l.celsius() < lo || l.celsius() > hi) {
        continue;
      }
      String dash = l.kind().endsWith("_WARNING") ? "6 4" : l.kind().endsWith("_TEMPERATURE") ? "" : "2 3";
      String color = l.kind().endsWith("_WARNING") ? "#e67e22" : "#c0392b";
      double yy = y.at(l.celsius());
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
          + " stroke-dasharray=\"%s\"><title>%s %s °C</title></line>\n", LEFT, W - RIGHT, yy, yy, color, dash,
          l.kind(), fmt(l.celsius())));
      boolean warning = l.kind().endsWith("_WARNING"); // warnings labelled on the left, so close limits do not overlap
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"%s\" fill=\"%s\">%s</text>\n",
          warning ? LEFT + 2 : W - RIGHT - 2, yy - 2, warning ? "start" : "end", color,
          esc(l.kind().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + fmt(l.celsius()))));
    }
    Map<String, List<RunReport.Point>> bySensor = new LinkedHashMap<>();
    u.readings().forEach(p -> bySensor.computeIfAbsent(p.sensor(), k -> new ArrayList<>()).add(p));
    int c = 0;
    for (Map.Entry<String, List<RunReport.Point>> e : bySensor.entrySet()) {
      String color = COLORS[c++ % COLORS.length];
      series(b, x, y, e.getValue(), color, e.getKey());
    }
    for (Scenario.Expectation xp : s.expected()) {
      if (xp.unit().equals(u.id())) {
        double xx = x.at(s.start().plus(xp.start()).toEpochMilli());
        b.append(String.format(Locale.ROOT, "<path d=\"M%.1f %d l-5 -9 h10 z\" fill=\"#333\"><title>expected %s at"
            + " +%s ±%s</title></path>\n", xx, TOP + 1, xp.kind(), Durations.human(xp.start()),
            Durations.human(xp.tolerance())));
      }
    }
    List<String> types = u.spans().stream().map(RunReport.Span::type).distinct().toList();
    for (RunReport.Span sp : u.spans()) {
      int lane = types.indexOf(sp.type());
      double from = x.at(sp.from().toEpochMilli());
      double to = x.at(sp.to().toEpochMilli());
      int yy = H + lane * LANE;
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#546e7a\">"
          + "<title>%s from +%s to +%s</title></rect>\n", from, yy, Math.max(2, to - from), LANE - 3, sp.type(),
          RunReport.since(s.start(), sp.from()), RunReport.since(s.start(), sp.to())));
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#546e7a\">%s</text>\n",
          LEFT - 4, yy + LANE - 4, sp.type()));
    }
    b.append("</svg>\n");
    if (!bySensor.isEmpty()) {
      b.append("<p class=\"muted\">");
      c = 0;
      for (String sensor : bySensor.keySet()) {
        b.append("<span style=\"color:").append(COLORS[c++ % COLORS.length]).append("\">■</span> ")
            .append(esc(sensor)).append(" &nbsp; ");
      }
      b.append("</p>\n");
    }
  }

  private static void series(StringBuilder b, Scale x, Scale y, List<RunReport.Point> points, String color,
      String sensor) {
    List<RunReport.Point> shown = downsample(points, x);
    StringBuilder path = new StringBuilder();
    boolean pen = false;
    StringBuilder faults = new StringBuilder();
    for (RunReport.Point p : shown) {
      double xx = x.at(p.time().toEpochMilli());
      if (Double.isNaN(p.celsius())) {
        pen = false;
        faults.append(String.format(Locale.ROOT, "M%.1f %d v-6 ", xx, H - BOTTOM));
        continue;
      }
      path.append(pen ? 'L' : 'M').append(String.format(Locale.ROOT, "%.1f %.1f ", xx, y.at(p.celsius())));
      pen = true;
    }
    if (path.length() > 0) {
      b.append("<path d=\"").append(path.toString().trim()).append("\" fill=\"none\" stroke=\"").append(color)
          .append("\" stroke-width=\"1.2\"><title>").append(esc(sensor)).append("</title></path>\n");
    }
    if (faults.length() > 0) {
      b.append("<path d=\"").append(faults.toString().trim()).append("\" stroke=\"#9e9e9e\"><title>").append(esc(
          sensor)).append(": no temperature (probe fault)</title></path>\n");
    }
  }

  /** At most about four points per pixel column (first, lowest, highest, last), so peaks survive. */
  private static List<RunReport.Point> downsample(List<RunReport.Point> points, Scale x) {
    if (points.size() <= 4 * W) {
      return points;
    }
    List<RunReport.Point> out = new ArrayList<>();
    int i = 0;
    while (i < points.size()) {
      int column = (int) x.at(points.get(i).time().toEpochMilli());
      int j = i;
      RunReport.Point min = null;
      RunReport.Point max = null;
      while (j < points.size() && (int) x.at(points.get(j).time().toEpochMilli()) == column) {
        RunReport.Point p = points.get(j);
        if (Double.isNaN(p.celsius())) {
          out.add(p);
        } else {
          min = min == null || p.celsius() < min.celsius() ? p : min;
          max = max == null || p.celsius() > max.celsius() ? p : max;
        }
        j++;
      }
      List<RunReport.Point> keep = new ArrayList<>(List.of(points.get(i), points.get(j - 1)));
      if (min != null) {
        keep.add(min);
        keep.add(max);
      }
      keep.stream().distinct().sorted((a, b) -> a.time().compareTo(b.time())).forEach(out::add);
      i = j;
    }
    return out;
  }

  private static void axes(StringBuilder b, Scale x, Scale y, long start, long t0, long t1, double lo, double hi) {
    b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
        + " stroke=\"#999\"/>\n", LEFT, TOP, W - RIGHT - LEFT, H - BOTTOM - TOP));
    double yStep = nice((hi - lo) / 6);
    for (double v = Math.ceil(lo / yStep) * yStep; v <= hi; v += yStep) {
      double yy = y.at(v);
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s °C</text>\n", LEFT, W - RIGHT, yy, yy, LEFT - 4,
          yy + 4, fmt(v)));
    }
    long span = t1 - t0;
    long[] steps = {600_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000, 172_800_000,
        604_800_000};
    long xStep = steps[steps.length - 1];
    for (long st : steps) {
      if (span / st <= 12) {
        xStep = st;
        break;
      }
    }
    for (long t = start + Math.floorDiv(t0 - start, xStep) * xStep; t <= t1; t += xStep) {
      if (t < t0) {
        continue;
      }
      double xx = x.at(t);
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#eee\"/>"
          + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", xx, xx, TOP, H - BOTTOM, xx, H - BOTTOM
          + 14, t == start ? "0" : (t > start ? "+" : "") + Durations.human(Duration.ofMillis(t - start))));
    }
  }

  private static double nice(double raw) {
    double[] steps = {0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50};
    for (double s : steps) {
      if (s >= raw) {
        return s;
      }
    }
    return 100;
  }

  private static String fmt(double v) {
    if (Math.abs(v) < 1e-9) {
      return "0";
    }
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** A linear map from data to pixels. */
  private record Scale(double from, double to, double pxFrom, double pxTo) {
    double at(double v) {
      return to == from ? pxFrom : pxFrom + (v - from) * (pxTo - pxFrom) / (to - from);
    }
  }
}
