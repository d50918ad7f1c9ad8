package org.sangfroid.gateway.web;

import static org.sangfroid.gateway.web.Html.esc;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sangfroid.gateway.report.MonthlyDocuments;
import org.sangfroid.gateway.report.MonthlyReport;
import org.sangfroid.gateway.report.ReportJobs;
import org.sangfroid.gateway.report.Words;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.user.Role;
import org.sangfroid.gateway.web.Pages.Notice;

/** The reports' pages and links, as plain HTML (see {@link Pages}). */
final class ReportPages {
  private ReportPages() {}

  /** The links under an alarm's facts: its excursion report, and its unit's monthly reports. */
  static String alarmLinks(Texts t, AlarmRow a) {
    return "<p class=\"reports\" id=\"alarm-reports\">" + esc(t.t("report.excursion")) + ": "
        + "<a id=\"report-pdf\" href=\"/alarms/" + a.id() + "/report.pdf\" download>PDF</a> · "
        + "<a id=\"report-csv\" href=\"/alarms/" + a.id() + "/report.csv\" download>CSV</a> · "
        + "<a id=\"unit-reports\" href=\"/units/" + esc(a.unit()) + "/reports\">" + esc(t.t("report.monthlyLink"))
        + "</a></p>\n";
  }

  /** The link in a unit's dashboard row. */
  static String unitLink(Texts t, String unit) {
    return " <a class=\"unit-reports\" href=\"/units/" + esc(unit) + "/reports\">" + esc(t.t("report.monthlyLink"))
        + "</a>";
  }

  static String monthly(Texts t, Words w, Session s, MonthlyReport r, Optional<Notice> notice,
      Map<String, String> typed) {
    String base = "/units/" + esc(r.unit().id()) + "/reports";
    StringBuilder b = new StringBuilder();
    b.append("<form method=\"get\" action=\"").append(base).append("\" class=\"month-picker\" id=\"month-picker\">")
        .append("<label>").append(esc(t.t("report.month"))).append(" <input type=\"month\" name=\"month\" id=\"month\"")
        .append(" value=\"").append(r.period()).append("\" required></label> <button type=\"submit\">")
        .append(esc(t.t("report.show"))).append("</button></form>\n");

    b.append("<dl class=\"facts\" id=\"report-facts\">\n");
    MonthlyDocuments.facts(r, w).forEach((k, v) -> b.append("<dt>").append(esc(k)).append("</dt><dd>")
        .append(esc(v)).append("</dd>\n"));
    b.append("</dl>\n");

    String state = r.lastSignature().isEmpty() ? "unsigned" : r.signatureMatches() ? "signed" : "stale";
    b.append("<h2>").append(esc(t.t("report.signature"))).append("</h2>\n<div class=\"signature ").append(state)
        .append("\" id=\"signature\" data-state=\"").append(state).append("\">");
    for (String line : MonthlyDocuments.signature(r, w)) {
      b.append("<p>").append(esc(line)).append("</p>");
    }
    b.append("</div>\n");
    if (!r.complete()) {
      b.append("<p class=\"hint\" id=\"sign-later\">").append(esc(t.t("report.signLater"))).append("</p>\n");
    } else if (s.role().atLeast(Role.QM)) {
      b.append("<form method=\"post\" action=\"").append(base).append("/sign\" class=\"action\" id=\"sign\">")
          .append(Pages.csrf(s))
          .append("<input type=\"hidden\" name=\"month\" value=\"").append(r.period()).append("\">")
          .append("<input type=\"hidden\" name=\"hash\" value=\"").append(r.contentHash()).append("\">")
          .append("<h2>").append(esc(t.t("report.sign.title"))).append("</h2>")
          .append("<label class=\"check\"><input type=\"checkbox\" name=\"confirm\" value=\"yes\" id=\"sign-confirm\"")
          .append(" required> ").append(esc(t.t("report.statement"))).append("</label>")
          .append("<label>").append(esc(t.t("report.sign.comment")))
          .append(" <textarea name=\"comment\" id=\"sign-comment\" maxlength=\"4000\">")
          .append(esc(typed.getOrDefault("comment", ""))).append("</textarea></label>")
          .append("<button type=\"submit\">").append(esc(t.t("report.sign.submit"))).append("</button></form>\n");
    } else {
      b.append("<p class=\"hint\">").append(esc(t.t("report.onlyQm"))).append("</p>\n");
    }

    b.append("<h2>").append(esc(t.t("report.files"))).append("</h2>\n<div class=\"downloads\">");
    for (String format : List.of("pdf", "csv")) {
      b.append("<form method=\"post\" action=\"").append(base).append("/jobs\" class=\"inline\" id=\"make-")
          .append(format).append("\">").append(Pages.csrf(s))
          .append("<input type=\"hidden\" name=\"month\" value=\"").append(r.period()).append("\">")
          .append("<input type=\"hidden\" name=\"format\" value=\"").append(format).append("\">")
          .append("<button type=\"submit\">").append(esc(t.t("report.make." + format))).append("</button></form> ");
    }
    b.append("</div>\n");

    b.append("<h2>").append(esc(t.t("report.daily"))).append("</h2>\n<table class=\"daily\" id=\"daily\">\n<thead><tr>");
    MonthlyDocuments.dayHeader(w).forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
    b.append("</tr></thead>\n<tbody>\n");
    for (MonthlyReport.Day d : r.days()) {
      b.append("<tr data-date=\"").append(d.date()).append("\"").append(d.stats().outOfRangeMillis() > 0
          ? " class=\"bad\"" : "").append(">");
      MonthlyDocuments.dayRow(d, w).forEach(c -> b.append("<td>").append(esc(c)).append("</td>"));
      b.append("</tr>\n");
    }
    b.append("</tbody></table>\n");

    b.append("<h2>").append(esc(t.t("report.alarmsOfMonth"))).append("</h2>\n");
    if (r.alarms().isEmpty()) {
      b.append("<p class=\"empty\" id=\"month-alarms\">").append(esc(t.t("report.noAlarms"))).append("</p>\n");
    } else {
      b.append("<table class=\"alarms\" id=\"month-alarms\">\n<thead><tr>");
      MonthlyDocuments.alarmHeader(w).forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
      b.append("</tr></thead>\n<tbody>\n");
      for (AlarmRow a : r.alarms()) {
        List<String> cells = MonthlyDocuments.alarmRow(a, w);
        b.append("<tr><td><a href=\"/alarms/").append(a.id()).append("\">").append(esc(cells.get(0)))
            .append("</a></td>");
        cells.subList(1, cells.size()).forEach(c -> b.append("<td>").append(esc(c)).append("</td>"));
        b.append("</tr>\n");
      }
      b.append("</tbody></table>\n");
    }
    String title = t.t("report.monthly.title", r.unit().name(), MonthlyDocuments.monthName(r, w));
    return Pages.layout(t, s, title, "/units/" + r.unit().id() + "/reports", b.toString(), notice);
  }

  /** A report being made: its progress (updated by app.js), then its download link. */
  static String job(Texts t, Session s, ReportJobs.Status j) {
    boolean done = j.state() == ReportJobs.State.DONE;
    boolean failed = j.state() == ReportJobs.State.FAILED;
    String link = "/reports/jobs/" + esc(j.id()) + "/file";
    String body = """
        <div class="job" id="job" data-status="/api/reports/jobs/%s" data-state="%s">
        <p><progress id="job-progress" max="100" value="%d"></progress> <span id="job-percent">%d</span>&nbsp;%%</p>
        <p id="job-failed" class="notice error"%s>%s</p>
        <p><a id="job-download" href="%s" download%s>%s</a></p>
        <p class="hint" id="job-wait"%s>%s <a href="/reports/jobs/%s">%s</a></p>
        </div>
        """.formatted(esc(j.id()), j.state().name(), j.percent(), j.percent(), failed ? "" : " hidden",
        esc(t.t("report.job.failed")), link, done ? "" : " hidden", esc(t.t("report.job.download", j.fileName()
            .orElse(""))), done || failed ? " hidden" : "", esc(t.t("report.job.wait")), esc(j.id()),
        esc(t.t("report.job.reload")));
    return Pages.layout(t, s, j.title(), "/reports/jobs/" + j.id(), body, Optional.empty());
  }
}
