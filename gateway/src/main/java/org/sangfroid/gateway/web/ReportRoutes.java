package org.sangfroid.gateway.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.report.ExcursionDocuments;
import org.sangfroid.gateway.report.ExcursionReport;
import org.sangfroid.gateway.report.MonthlyDocuments;
import org.sangfroid.gateway.report.MonthlyReport;
import org.sangfroid.gateway.report.ReportJobs;
import org.sangfroid.gateway.report.ReportSigner;
import org.sangfroid.gateway.report.Words;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.web.Pages.Notice;

/**
 * The handlers of the reports: an alarm's excursion report (PDF, CSV), a unit's monthly report
 * page with its signature form, and the background jobs that make the monthly files. Every report
 * is in the logged-in user's language.
 */
final class ReportRoutes {
  private final GatewayStore store;
  private final Fleet fleet;
  private final Guard guard;
  private final Clock clock;
  private final ReportJobs jobs;
  private final ReportSigner signer;

  ReportRoutes(GatewayStore store, Fleet fleet, Guard guard, Clock clock, ReportJobs jobs) {
    this.store = store;
    this.fleet = fleet;
    this.guard = guard;
    this.clock = clock;
    this.jobs = jobs;
    this.signer = new ReportSigner(store, clock);
  }

  private Words words(Session s) {
    return new Words(s.language(), guard.zone());
  }

  // ---- the excursion report of one alarm ----

  void excursionPdf(Context ctx) {
    Session s = Guard.session(ctx);
    AlarmRow a = alarm(ctx, s);
    long now = clock.millis();
    byte[] pdf = ExcursionDocuments.pdf(ExcursionReport.of(a, store, fleet, now), words(s), now);
    download(ctx, ExcursionDocuments.fileName(a, "pdf"), "application/pdf", pdf);
  }

  void excursionCsv(Context ctx) {
    Session s = Guard.session(ctx);
    AlarmRow a = alarm(ctx, s);
    long now = clock.millis();
    byte[] csv = ExcursionDocuments.csv(ExcursionReport.of(a, store, fleet, now), words(s), now);
    download(ctx, ExcursionDocuments.fileName(a, "csv"), "text/csv; charset=utf-8", csv);
  }

  private AlarmRow alarm(Context ctx, Session s) {
    String text = ctx.pathParam("id");
    Optional<AlarmRow> a = Optional.empty();
    try {
      a = store.alarm(Long.parseLong(text));
    } catch (NumberFormatException e) {
      // answered below
    }
    return a.orElseThrow(() -> new Denied(404, guard.texts(s.language()).t("error.noAlarm", text)));
  }

  static void download(Context ctx, String name, String type, byte[] bytes) {
    ctx.contentType(type).header("Content-Disposition", "attachment; filename=\"" + name + "\"").result(bytes);
  }

  // ---- the monthly report of one unit ----

  private Unit unit(Context ctx, Session s) {
    String id = ctx.pathParam("id");
    return fleet.unit(id).orElseThrow(() -> new Denied(404, guard.texts(s.language()).t("report.noUnit", id)));
  }

  /** The month asked for; by default the last month that is over. */
  private YearMonth month(String text, Session s) {
    if (text == null || text.isBlank()) {
      return YearMonth.from(LocalDate.ofInstant(clock.instant(), guard.zone())).minusMonths(1);
    }
    try {
      return YearMonth.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new Denied(400, guard.texts(s.language()).t("report.badMonth", text));
    }
  }

  private MonthlyReport report(Unit u, YearMonth m) {
    return MonthlyReport.of(u, m, guard.zone(), store, fleet, clock.millis(), p -> { });
  }

  void monthlyPage(Context ctx) {
    Session s = Guard.session(ctx);
    Unit u = unit(ctx, s);
    MonthlyReport r = report(u, month(ctx.queryParam("month"), s));
    Optional<Notice> notice = Optional.ofNullable(ctx.queryParam("done")).filter("signed"::equals)
        .map(d -> new Notice(guard.texts(s.language()).t("report.done.signed"), false));
    ctx.html(ReportPages.monthly(guard.texts(s.language()), words(s), s, r, notice, Map.of()));
  }

  void sign(Context ctx) {
    Session s = Guard.session(ctx);
    Unit u = unit(ctx, s);
    MonthlyReport r = report(u, month(ctx.formParam("month"), s));
    Texts t = guard.texts(s.language());
    String comment = Optional.ofNullable(ctx.formParam("comment")).orElse("");
    ReportSigner.Outcome o = signer.sign(r, s.user(), t.t("report.statement"), "yes".equals(ctx.formParam("confirm")),
        comment, ctx.formParam("hash"));
    if (o instanceof ReportSigner.Refused refused) {
      String why = String.join(" ", refused.reasons().stream().map(t::t).toList());
      ctx.status(refused.reasons().contains("report.refused.changed") || refused.reasons().contains(
          "report.refused.month") ? 409 : 400).html(ReportPages.monthly(t, words(s), s, r,
          Optional.of(new Notice(why, true)), Map.of("comment", comment)));
      return;
    }
    ctx.redirect("/units/" + u.id() + "/reports?month=" + r.period() + "&done=signed", HttpStatus.SEE_OTHER);
  }

  /** Starts making the monthly PDF or CSV in the background; the job's page shows its progress. */
  void startJob(Context ctx) {
    Session s = Guard.session(ctx);
    Unit u = unit(ctx, s);
    YearMonth m = month(ctx.formParam("month"), s);
    String format = Optional.ofNullable(ctx.formParam("format")).orElse("");
    if (!format.equals("pdf") && !format.equals("csv")) {
      throw new Denied(400, "format [" + format + "] must be pdf or csv.");
    }
    Words w = words(s);
    String title = w.t("report.job.title", u.name(), m.toString()) + " (" + format.toUpperCase(java.util.Locale.ROOT) + ")";
    Optional<ReportJobs.Status> job = jobs.submit(s.user(), title, progress -> {
      MonthlyReport r = MonthlyReport.of(u, m, guard.zone(), store, fleet, clock.millis(), progress);
      long now = clock.millis();
      return format.equals("pdf")
          ? new ReportJobs.File(MonthlyDocuments.fileName(r, "pdf"), "application/pdf", MonthlyDocuments.pdf(r, w, now))
          : new ReportJobs.File(MonthlyDocuments.fileName(r, "csv"), "text/csv; charset=utf-8",
              MonthlyDocuments.csv(r, w, now));
    });
    if (job.isEmpty()) {
      ctx.header("Retry-After", "60");
      throw new Denied(429, guard.texts(s.language()).t("report.busy"));
    }
    ctx.redirect("/reports/jobs/" + job.get().id(), HttpStatus.SEE_OTHER);
  }

  private ReportJobs.Status job(Context ctx, Session s) {
    return jobs.status(ctx.pathParam("job"), s.user())
        .orElseThrow(() -> new Denied(404, guard.texts(s.language()).t("report.noJob")));
  }

  void jobPage(Context ctx) {
    Session s = Guard.session(ctx);
    ctx.html(ReportPages.job(guard.texts(s.language()), s, job(ctx, s)));
  }

  /** {@code GET /api/reports/jobs/{job}}: {@code {id, title, state, percent, file, download}}. */
  void jobStatus(Context ctx) {
    Session s = Guard.session(ctx);
    ReportJobs.Status j = job(ctx, s);
    ctx.json(new JobView(j.id(), j.title(), j.state().name(), j.percent(), j.fileName().orElse(null),
        j.state() == ReportJobs.State.DONE ? "/reports/jobs/" + j.id() + "/file" : null));
  }

  record JobView(String id, String title, String state, int percent, String file, String download) {}

  void jobFile(Context ctx) {
    Session s = Guard.session(ctx);
    job(ctx, s);
    ReportJobs.File f = jobs.file(ctx.pathParam("job"), s.user())
        .orElseThrow(() -> new Denied(409, guard.texts(s.language()).t("report.notReady")));
    download(ctx, f.name(), f.contentType(), f.bytes());
  }
}
