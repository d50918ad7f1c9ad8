package org.sangfroid.gateway.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.sse.SseClient;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Sample;
import org.sangfroid.core.stats.PeriodCalculator;
import org.sangfroid.core.stats.PeriodStats;
import org.sangfroid.gateway.alarm.AlarmBook;
import org.sangfroid.gateway.alarm.AlarmDesk;
import org.sangfroid.gateway.alarm.AlarmLifecycle;
import org.sangfroid.gateway.audit.AuditCheck;
import org.sangfroid.gateway.audit.AuditReport;
import org.sangfroid.gateway.audit.AuditVerifier;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Http;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.notify.DeadLetter;
import org.sangfroid.gateway.report.ReportJobs;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.AuditRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.ReadingRow;
import org.sangfroid.gateway.user.Users;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's web app (pages: see {@link PageRoutes}) and HTTP API (Javalin): JSON, times as
 * ISO-8601 UTC strings.
 *
 * <p>Every page and API call needs a login, except the login page, {@code /static/},
 * {@code /api/health} and {@code /metrics}. Logged out, an API call answers 401 and a page
 * redirects to the login page. A login is a session cookie ({@code sangfroid_session}, HttpOnly,
 * SameSite=Strict, Secure on https); every POST must also carry the session's CSRF token, as form
 * field {@code csrf} or header {@code X-CSRF-Token} (403 without). Roles ({@link Access}): every
 * user reads; technicians and up restock; quality managers and admins acknowledge and close, and
 * see the audit trail page ({@code GET /audit}; {@code POST /audit/verify} verifies the whole
 * chain, see {@link AuditCheck}).
 *
 * <ul>
 *   <li>{@code POST /api/login} with {@code {name, password}} (Content-Type application/json):
 *       sets the session cookie and answers {@code {user, role, language, csrf}}; 401 for a wrong
 *       name or password, 429 (with Retry-After) after too many failures
 *   <li>{@code GET /api/session}: {@code {user, role, language, csrf}}; {@code POST /api/logout}
 *   <li>{@code GET /api/health}: {@code {status, broker: connected|disconnected, time}}
 *   <li>{@code GET /api/units}: {@code [{id, site, agent, name, profile, low, high, lastReading:
 *       {t, value, quality} | null, state: ok|warning|out_of_range|alarm|no_data}]} —
 *       warning: a warning band crossed; out_of_range: beyond a limit while the alarm delay runs
 *   <li>{@code GET /api/units/{id}/readings?from=&to=}: {@code [{seq, t, sensor, value,
 *       quality}]}, oldest first, measured from {@code from} to {@code to}, both included
 *       (ISO-8601 or epoch ms; default: {@code to} now, {@code from} 24 h before {@code to}), at most
 *       {@value #MAX_READINGS} (header {@code Sangfroid-Truncated: true} when there were more)
 *   <li>{@code GET /api/units/{id}/summary?from=&to=}: the unit over [from, to) of measurement
 *       time (default the last 24 h, at most 366 days), for reports: {@code {unit, profile, low,
 *       high, from, to, readings, invalidReadings, min, max, mean, meanKinetic, coveredSeconds,
 *       uncoveredSeconds, belowSeconds, aboveSeconds, outOfRangeSeconds, excursions, alarms}}
 *       (see core's PeriodStats: time without a valid reading is uncovered, never in range;
 *       {@code alarms} as below, those whose condition overlapped the period)
 *   <li>{@code GET /api/units/{id}/events?from=&to=}: the agent's events for the unit (door, power,
 *       agitator, alarm mute, the agent's own alarms), {@code [{seq, t, type, active, detail,
 *       synced}]}, oldest first, measured from {@code from} to {@code to} (as for readings)
 *   <li>{@code POST /api/units/{id}/restock} with {@code {comment}}: the unit was emptied
 *       and refilled (or a transport box packed for a new trip): its exposure, episode and trip
 *       counts start again and their alarms clear; audited as {@code unit.restocked}. Answers
 *       {@code {unit, at, clearedAlarms}}
 *   <li>{@code GET /api/alarms?state=active|all}: {@code [{id, site, unit, kind, state,
 *       startedAt, raisedAt, clearedAt, triggerValue, limit, peak, late, acknowledged: {user, at,
 *       comment} | null, closed: {user, at, rootCause, disposition} | null}]}, newest first, at
 *       most {@value #MAX_ALARMS}; {@code active} (the default): not closed yet. {@code kind} is
 *       core's AlarmKind name ({@code HIGH_TEMPERATURE}); {@code state} is ACTIVE (condition on,
 *       not acknowledged), ACKNOWLEDGED (condition on), CLEARED (condition over, not closed;
 *       {@code acknowledged} says whether someone took it) or CLOSED; {@code clearedAt} is null
 *       while the condition holds
 *   <li>{@code GET /api/alarms/{id}}: the alarm as above with {@code history: [{at, event, user,
 *       comment}]}, oldest first ({@code raised}/{@code cleared} by user {@code system} at
 *       measurement times; {@code acknowledged}/{@code closed} at the gateway clock)
 *   <li>{@code POST /api/alarms/{id}/acknowledge} with {@code {comment}} and
 *       {@code POST /api/alarms/{id}/close} with {@code {rootCause, disposition:
 *       released|quarantined|discarded}}: the alarm as for {@code GET /api/alarms/{id}}; 400 for
 *       bad input, 404 for an unknown alarm, 409 when the alarm's state does not allow it (see
 *       {@link AlarmLifecycle}). Writes are the logged-in user's (audited as authenticated); a
 *       {@code user} field, if sent, must name that user.
 *   <li>(quality managers and admins) {@code GET /api/audit?after=SEQ&limit=N}: {@code [{seq, time, actor, action, subject,
 *       details, prevHash, hash}]} with {@code seq > after} (default 0), at most {@code limit}
 *       (default and maximum {@value #MAX_AUDIT}); {@code details} is the stored JSON
 *   <li>{@code GET /api/audit/head}: {@code {seq, hash}} of the newest entry ({@code 0, null}
 *       when empty): keep a copy elsewhere to detect the newest entries being removed
 *   <li>{@code GET /api/audit/verify}: {@code {ok, entries, head: {seq, hash} | null, problems:
 *       [{seq, kind, message}]}}, as {@code sangfroid-gateway audit verify}
 *   <li>{@code GET /api/notifications/dead-letters}: {@code [{channel: email|webhook, target,
 *       alarmId, event: raised|cleared, firstAttempt, lastError, attempts}]}, oldest first: the
 *       notifications given up on since the gateway started (kept in memory, the newest 1000)
 *   <li>{@code GET /api/reports/jobs/{job}}: a report being made in the background (started from
 *       a unit's monthly report page, {@code POST /units/{id}/reports/jobs}), to the user who started
 *       it: {@code {id, title, state: QUEUED|RUNNING|DONE|FAILED, percent, file, download}};
 *       {@code download} is the file's address once done. Excursion reports: {@code GET
 *       /alarms/{id}/report.pdf} and {@code .csv}
 *   <li>{@code GET /metrics}: Prometheus text
 *   <li>{@code GET /api/units/{id}/chart?from=&to=&points=N}: the unit's temperatures for a chart,
 *       measured from {@code from} to {@code to}, both included (as for readings), in about
 *       {@code N} points (default {@value UnitChart#DEFAULT_POINTS}, 2 to {@value UnitChart#MAX_POINTS}):
 *       {@code {unit, from, to, raw, bucketMillis, points: [{t, min, max, mean, count}], excursions:
 *       [{alarm, kind, startedAt, clearedAt}]}}. When the range holds at most N readings, the points
 *       are the readings ({@code raw: true}, {@code bucketMillis} 0, min = max = mean); otherwise
 *       each point is a bucket of {@code bucketMillis} starting at {@code t}, with the min, max and
 *       mean of its {@code count} valid readings (computed by the database; a short peak keeps
 *       its max). A point with null values and count 0 is a gap: an invalid reading, or no valid
 *       reading for at least the profile's monitoringLostAfter. {@code excursions}: the unit's
 *       alarms (not warnings) whose condition overlapped the range, {@code clearedAt} null while on
 * </ul>
 *
 * <p>Errors are {@code {"error": "..."}} with status 400, 401, 403, 404, 409 or 429.
 */
public final class WebApi implements AutoCloseable {
  public static final int MAX_READINGS = 10_000;
  public static final int MAX_ALARMS = 1_000;
  public static final int MAX_AUDIT = 1_000;
  private static final Duration DEFAULT_RANGE = Duration.ofHours(24);
  private static final Duration MAX_SUMMARY = Duration.ofDays(366);
  /** A year of one reading a minute, with room for a second probe on part of it. */
  private static final int MAX_SUMMARY_READINGS = 1_100_000;
  private static final Logger LOG = LoggerFactory.getLogger(WebApi.class);

  /** How often the live dashboard sends the units' states to those watching it. */
  static final Duration LIVE_EVERY = Duration.ofSeconds(1);

  private final Javalin app;
  private final LiveDashboard live;
  private final List<Route> routes;
  private final ReportJobs reportJobs;

  private WebApi(Javalin app, LiveDashboard live, List<Route> routes, ReportJobs reportJobs) {
    this.app = app;
    this.live = live;
    this.routes = List.copyOf(routes);
    this.reportJobs = reportJobs;
  }

  /** A route and who may use it. */
  record Route(String method, String path, Access access) {}

  /** Every route, as registered: for the access tests, which try each one. */
  List<Route> routes() {
    return routes;
  }

  /** Registers routes with their access rule and remembers them. */
  private static final class Registry {
    private final Javalin app;
    private final List<Route> routes = new ArrayList<>();

    Registry(Javalin app) {
      this.app = app;
    }

    void get(String path, Handler handler, Access access) {
      app.get(path, handler, access);
      routes.add(new Route("GET", path, access));
    }

    void post(String path, Handler handler, Access access) {
      app.post(path, handler, access);
      routes.add(new Route("POST", path, access));
    }

    void sse(String path, Consumer<SseClient> client, Access access) {
      app.sse(path, client, access);
      routes.add(new Route("GET", path, access));
    }
  }

  /**
   * Starts the web app and API on {@code bind:port} (port 0: any free port), with default login
   * settings.
   *
   * @param brokerConnected whether the gateway's MQTT client is connected, for the health check
   */
  public static WebApi start(String bind, int port, Fleet fleet, GatewayStore store,
      PrometheusMeterRegistry meters, BooleanSupplier brokerConnected, Clock clock) {
    return start(bind, port, fleet, store, meters, brokerConnected, clock, List::of);
  }

  /**
   * As above, with the notifications' dead letters.
   *
   * @param deadLetters the dead letters to show, oldest first; called on HTTP threads
   */
  public static WebApi start(String bind, int port, Fleet fleet, GatewayStore store,
      PrometheusMeterRegistry meters, BooleanSupplier brokerConnected, Clock clock,
      Supplier<List<DeadLetter>> deadLetters) {
    return start(new Http(bind, port), fleet, store, meters, brokerConnected, clock, deadLetters,
        new AlarmBook(meters, clock));
  }

  /**
   * Starts the web app and API as {@code http} says, with the gateway's alarm book, through which
   * a restock's cleared alarms are recorded and notified.
   */
  public static WebApi start(Http http, Fleet fleet, GatewayStore store, PrometheusMeterRegistry meters,
      BooleanSupplier brokerConnected, Clock clock, Supplier<List<DeadLetter>> deadLetters, AlarmBook book) {
    AlarmDesk desk = new AlarmDesk(store, clock, fleet, book);
    Board board = new Board(fleet, store);
    Routes routes = new Routes(fleet, store, meters, brokerConnected, clock, desk, board);
    Users users = new Users(store, clock);
    Sessions sessions = new Sessions(clock, http.sessionIdle(), http.sessionMax());
    Pages pages = new Pages(fleet);
    Guard guard = new Guard(users, sessions, new LoginThrottle(clock), pages, http, meters);
    PageRoutes ui = new PageRoutes(store, desk, board, pages, guard, sessions, users, clock, fleet);
    LiveDashboard live = new LiveDashboard(board, sessions, clock, http.timeZone(), LIVE_EVERY);
    ReportJobs reportJobs = ReportJobs.start(clock);
    ReportRoutes reports = new ReportRoutes(store, fleet, guard, clock, reportJobs);
    Gauge.builder("sangfroid.web.sessions", sessions, Sessions::count)
        .description("Web sessions logged in now").register(meters);
    ObjectMapper mapper = new ObjectMapper();
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
      config.jsonMapper(new JavalinJackson(mapper, false));
      config.router.ignoreTrailingSlashes = true;
    });
    app.before(WebApi::securityHeaders);
    app.beforeMatched(ctx -> guard.check(ctx, access(ctx)));

    Registry r = new Registry(app);
    // Pages and forms
    r.get("/login", guard::loginPage, Access.PUBLIC);
    r.post("/login", guard::loginForm, Access.PUBLIC);
    r.post("/logout", ui::logout, Access.READ);
    r.post("/language", ui::language, Access.READ);
    r.get("/", ui::dashboard, Access.READ);
    r.get("/alarms", ui::inbox, Access.READ);
    r.get("/alarms/{id}", ui::alarm, Access.READ);
    r.post("/alarms/{id}/acknowledge", ui::acknowledge, Access.DECIDE);
    r.post("/alarms/{id}/close", ui::close, Access.DECIDE);
    r.get("/agents", ui::agents, Access.READ);
    r.sse("/live/dashboard", client -> live.watch(client, Guard.session(client.ctx()).id()), Access.READ);
    // Reports (issue 5): excursion report of an alarm, monthly report of a unit, its signature, background jobs
    r.get("/alarms/{id}/report.pdf", reports::excursionPdf, Access.READ);
    r.get("/alarms/{id}/report.csv", reports::excursionCsv, Access.READ);
    r.get("/units/{id}/reports", reports::monthlyPage, Access.READ);
    r.post("/units/{id}/reports/sign", reports::sign, Access.DECIDE);
    r.post("/units/{id}/reports/jobs", reports::startJob, Access.READ);
    r.get("/reports/jobs/{job}", reports::jobPage, Access.READ);
    r.get("/reports/jobs/{job}/file", reports::jobFile, Access.READ);
    r.get("/api/reports/jobs/{job}", reports::jobStatus, Access.READ);
    r.get("/static/app.css", ctx -> asset(ctx, "app.css", "text/css; charset=utf-8"), Access.PUBLIC);
    r.get("/static/app.js", ctx -> asset(ctx, "app.js", "text/javascript; charset=utf-8"), Access.PUBLIC);

    // JSON API
    r.post("/api/login", guard::loginApi, Access.PUBLIC);
    r.get("/api/session", ctx -> ctx.json(Guard.view(Guard.session(ctx))), Access.READ);
    r.post("/api/logout", ctx -> {
      guard.logout(ctx);
      ctx.status(204);
    }, Access.READ);
    r.get("/api/health", routes::health, Access.PUBLIC);
    r.get("/api/units", routes::units, Access.READ);
    r.get("/api/units/{id}/readings", routes::readings, Access.READ);
    r.get("/api/units/{id}/summary", routes::summary, Access.READ);
    r.get("/api/units/{id}/events", routes::events, Access.READ);
    r.post("/api/units/{id}/restock", routes::restock, Access.RESTOCK);
    r.get("/api/alarms", routes::alarms, Access.READ);
    r.get("/api/alarms/{id}", routes::alarm, Access.READ);
    r.post("/api/alarms/{id}/acknowledge", routes::acknowledge, Access.DECIDE);
    r.post("/api/alarms/{id}/close", routes::close, Access.DECIDE);
    // The trail names users and their actions: for those who may see the audit page.
    r.get("/api/audit", routes::audit, Access.DECIDE);
    r.get("/api/audit/head", routes::auditHead, Access.DECIDE);
    r.get("/api/audit/verify", routes::auditVerify, Access.DECIDE);
    r.get("/api/notifications/dead-letters", ctx -> ctx.json(deadLetters.get().stream()
        .map(d -> new DeadLetterView(d.channel(), d.target(), d.alarmId(), d.event(), d.firstAttempt().toString(),
            d.lastError(), d.attempts()))
        .toList()), Access.READ);
    // Metrics stay open, like /api/health: Prometheus scrapes without a login, and they hold counts, not
    // temperatures or names. Keep the port off public networks (see docs/operator.md).
    r.get("/metrics", routes::metrics, Access.PUBLIC);

    // Unit page and its chart (issue 5)
    r.get("/units/{id}", ui::unit, Access.READ);
    r.get("/api/units/{id}/chart", routes::chart, Access.READ);
    r.get("/static/unit.js", ctx -> asset(ctx, "unit.js", "text/javascript; charset=utf-8"), Access.PUBLIC);
    r.get("/static/vendor/uplot/uPlot.iife.min.js", ctx -> asset(ctx, "vendor/uplot/uPlot.iife.min.js",
        "text/javascript; charset=utf-8"), Access.PUBLIC);
    r.get("/static/vendor/uplot/uPlot.min.css", ctx -> asset(ctx, "vendor/uplot/uPlot.min.css",
        "text/css; charset=utf-8"), Access.PUBLIC);

    // The audit trail page: quality managers and admins (issue 5)
    AuditPage auditPage = new AuditPage(store, new AuditCheck(store, clock), pages, guard, fleet);
    r.get("/audit", auditPage::show, Access.DECIDE);
    r.post("/audit/verify", auditPage::verify, Access.DECIDE);

    app.exception(BadRequest.class, (e, ctx) -> ctx.status(e.status).json(new Error(e.getMessage())));
    app.exception(Denied.class, (e, ctx) -> denied(e, ctx, guard));
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      ctx.status(500).json(new Error("internal error; see the gateway's log."));
    });
    app.start(http.bind(), http.port());
    return new WebApi(app, live.start(), r.routes, reportJobs);
  }

  /** The one {@link Access} a route declares; a route that declares none is refused (a bug, logged). */
  private static Access access(Context ctx) {
    List<Access> declared = ctx.routeRoles().stream().filter(Access.class::isInstance).map(Access.class::cast)
        .toList();
    if (declared.size() != 1) {
      LOG.error("route {} {} declares {} access rules instead of one: refused", ctx.method(), ctx.endpointHandlerPath(),
          declared.size());
      throw new Denied(403, "This address is not open to anyone (a gateway bug: see its log).");
    }
    return declared.get(0);
  }

  private static boolean isApi(Context ctx) {
    String p = ctx.path();
    return p.startsWith("/api/") || p.startsWith("/live/") || p.equals("/metrics");
  }

  private static void denied(Denied e, Context ctx, Guard guard) {
    if (isApi(ctx)) {
      ctx.status(e.status).json(new Error(e.getMessage()));
    } else if (e.toLogin) {
      String target = ctx.method().name().equals("GET") ? ctx.path() + (ctx.queryString() == null ? ""
          : "?" + ctx.queryString()) : "/";
      ctx.redirect("/login?next=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    } else {
      Optional<Session> s = Guard.optionalSession(ctx);
      Texts t = guard.texts(s.map(Session::language).orElse(Guard.visitorLanguage(ctx)));
      String title = t.t(e.status == 404 ? "error.notFoundTitle" : e.status == 403 ? "error.forbiddenTitle"
          : "error.title");
      ctx.status(e.status).html(Pages.problem(t, s, title, e.status == 403 && s.isPresent()
          && !e.getMessage().startsWith("The request has no valid CSRF") ? t.t("error.forbidden") : e.getMessage()));
    }
  }

  /** Headers every answer gets: no framing, no sniffing, no inline scripts, nothing cached. */
  private static void securityHeaders(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self';"
        + " base-uri 'none'");
    if (!ctx.path().startsWith("/static/")) {
      ctx.header("Cache-Control", "no-store");
    }
  }

  private static void asset(Context ctx, String name, String type) {
    try (InputStream in = WebApi.class.getResourceAsStream("static/" + name)) {
      if (in == null) {
        throw new Denied(404, "no such file");
      }
      ctx.contentType(type).header("Cache-Control", "max-age=300").result(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port it listens on. */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    live.close();
    app.stop();
    reportJobs.close();
  }

  // ---- JSON shapes ----

  record Error(String error) {}

  record DeadLetterView(String channel, String target, long alarmId, String event, String firstAttempt,
      String lastError, int attempts) {}

  record Health(String status, String broker, String time) {}

  record LastReading(String t, Double value, String quality) {}

  record UnitView(String id, String site, String agent, String name, String profile, Double low, Double high,
      LastReading lastReading, String state) {}

  /**
   * {@code raw} only when a calibration changed the value; {@code synced: false} and {@code
   * timeCorrected: true} only when so.
   */
  record ReadingView(long seq, String t, String sensor, Double value, String quality,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double raw, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean synced,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean timeCorrected) {}

  record AlarmView(long id, String site, String unit, String kind, String state, String startedAt,
      String raisedAt, String clearedAt, Double triggerValue, Double limit, Double peak, boolean late,
      AckView acknowledged, CloseView closed) {}

  record AckView(String user, String at, String comment) {}

  record CloseView(String user, String at, String rootCause, String disposition) {}

  record HistoryView(String at, String event, String user, String comment) {}

  /** Durations in seconds of measurement time; temperatures in °C (null when nothing was measured). */
  record SummaryView(String unit, String profile, Double low, Double high, String from, String to, int readings,
      int invalidReadings, Double min, Double max, Double mean, Double meanKinetic, long coveredSeconds,
      long uncoveredSeconds, long belowSeconds, long aboveSeconds, long outOfRangeSeconds, int excursions,
      List<AlarmView> alarms) {}

  record RestockView(String unit, String at, List<Long> clearedAlarms) {}

  record EventView(long seq, String t, String type, boolean active, String detail, boolean synced) {}

  record AuditView(long seq, String time, String actor, String action, String subject, JsonNode details,
      String prevHash, String hash) {}

  record HeadView(long seq, String hash) {}

  record ChartPointView(String t, Double min, Double max, Double mean, long count) {}

  record ExcursionView(long alarm, String kind, String startedAt, String clearedAt) {}

  record ChartView(String unit, String from, String to, boolean raw, long bucketMillis, List<ChartPointView> points,
      List<ExcursionView> excursions) {}

  record VerifyView(boolean ok, long entries, HeadView head, List<AuditReport.Problem> problems) {}

  private static final class BadRequest extends RuntimeException {
    final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private static final class Routes {
    private final Fleet fleet;
    private final GatewayStore store;
    private final PrometheusMeterRegistry meters;
    private final BooleanSupplier brokerConnected;
    private final Clock clock;
    private final AlarmDesk desk;
    private final Board board;
    private final ObjectMapper json = new ObjectMapper();

    Routes(Fleet fleet, GatewayStore store, PrometheusMeterRegistry meters, BooleanSupplier brokerConnected,
        Clock clock, AlarmDesk desk, Board board) {
      this.desk = desk;
      this.board = board;
      this.fleet = fleet;
      this.store = store;
      this.meters = meters;
      this.brokerConnected = brokerConnected;
      this.clock = clock;
    }

    void health(Context ctx) {
      ctx.json(new Health("ok", brokerConnected.getAsBoolean() ? "connected" : "disconnected",
          clock.instant().toString()));
    }

    void units(Context ctx) {
      ctx.json(board.units().stream().map(st -> {
        Unit u = st.unit();
        Profile p = u.profile();
        return new UnitView(u.id(), u.site(), u.agent(), u.name(), p.id(), p.hasLow() ? p.low() : null,
            p.hasHigh() ? p.high() : null,
            st.last().map(r -> new LastReading(iso(r.time()), boxed(r.value()), r.quality().wire())).orElse(null),
            st.state());
      }).toList());
    }

    void readings(Context ctx) {
      String id = ctx.pathParam("id");
      if (fleet.unit(id).isEmpty()) {
        throw new BadRequest(404, "unit [" + id + "] is not configured.");
      }
      long now = clock.millis();
      long to = time(ctx, "to").orElse(now);
      long from = time(ctx, "from").orElse(to - DEFAULT_RANGE.toMillis());
      if (from > to) {
        throw new BadRequest(400, Checks.message("from", ctx.queryParam("from") == null ? iso(from)
            : ctx.queryParam("from"), "not be after to (" + iso(to) + ")"));
      }
      List<ReadingRow> rows = store.readings(id, from, to, MAX_READINGS + 1);
      if (rows.size() > MAX_READINGS) {
        rows = rows.subList(0, MAX_READINGS);
        ctx.header("Sangfroid-Truncated", "true");
      }
      ctx.json(rows.stream()
          .map(r -> new ReadingView(r.seq(), iso(r.time()), r.sensor(), boxed(r.value()), r.quality().wire(),
              r.raw().isPresent() ? r.raw().getAsDouble() : null, r.synced() ? null : false,
              r.timeCorrected() ? true : null))
          .toList());
    }

    void events(Context ctx) {
      String id = ctx.pathParam("id");
      if (fleet.unit(id).isEmpty()) {
        throw new BadRequest(404, "unit [" + id + "] is not configured.");
      }
      long to = time(ctx, "to").orElse(clock.millis());
      long from = time(ctx, "from").orElse(to - DEFAULT_RANGE.toMillis());
      ctx.json(store.events(id, from, to, MAX_READINGS).stream()
          .map(e -> new EventView(e.seq(), iso(e.time()), e.type(), e.active(), e.detail().isEmpty() ? null
              : e.detail(), e.synced()))
          .toList());
    }

    /** A unit's temperatures over a period, for reports: see {@link PeriodStats}. */
    void summary(Context ctx) {
      String id = ctx.pathParam("id");
      Unit unit = fleet.unit(id).orElseThrow(() -> new BadRequest(404, "unit [" + id + "] is not configured."));
      long now = clock.millis();
      long to = time(ctx, "to").orElse(now);
      long from = time(ctx, "from").orElse(to - DEFAULT_RANGE.toMillis());
      if (from >= to) {
        throw new BadRequest(400, Checks.message("from", ctx.queryParam("from") == null ? iso(from)
            : ctx.queryParam("from"), "be before to (" + iso(to) + ")"));
      }
      if (to - from > MAX_SUMMARY.toMillis()) {
        throw new BadRequest(400, Checks.message("from", iso(from), "be at most 366 days before to (" + iso(to)
            + ")"));
      }
      Profile p = unit.profile();
      long before = from - p.monitoringLostAfter().toMillis(); // a reading standing at the period's start
      List<Sample> samples = store.readings(id, before, to, MAX_SUMMARY_READINGS).stream()
          .map(r -> new Sample(r.time(), r.value().orElse(Double.NaN), r.value().isPresent()))
          .toList();
      PeriodStats st = PeriodCalculator.compute(samples, from, to, p);
      List<AlarmRow> alarms = store.alarmsOfUnit(id, from, to, MAX_ALARMS);
      ctx.json(new SummaryView(id, p.id(), p.hasLow() ? p.low() : null, p.hasHigh() ? p.high() : null, iso(from),
          iso(to), st.readings(), st.invalidReadings(), boxed(st.min()), boxed(st.max()), boxed(st.mean()),
          boxed(st.meanKinetic()), st.coveredMillis() / 1000, st.uncoveredMillis() / 1000, st.belowMillis() / 1000,
          st.aboveMillis() / 1000, st.outOfRangeMillis() / 1000, st.excursions(),
          alarms.stream().map(Routes::view).toList()));
    }

    void restock(Context ctx) {
      String id = ctx.pathParam("id");
      JsonNode body = body(ctx, "{\"comment\": \"...\"}");
      AlarmDesk.Outcome outcome = desk.restock(id, user(ctx, body), text(body, "comment"));
      if (outcome instanceof AlarmDesk.Restocked r) {
        ctx.json(new RestockView(id, iso(r.audit().time()), r.cleared().stream().map(c -> c.alarm().id()).toList()));
      } else {
        answer(ctx, outcome);
      }
    }

    void alarms(Context ctx) {
      String state = Optional.ofNullable(ctx.queryParam("state")).orElse("active");
      if (!state.equals("active") && !state.equals("all")) {
        throw new BadRequest(400, Checks.message("state", state, "be active or all"));
      }
      List<AlarmRow> rows = state.equals("active") ? store.openAlarms(MAX_ALARMS) : store.alarms(false, MAX_ALARMS);
      ctx.json(rows.stream().map(Routes::view).toList());
    }

    void alarm(Context ctx) {
      long id = alarmId(ctx);
      AlarmRow a = store.alarm(id).orElseThrow(() -> new BadRequest(404, "alarm " + id + " does not exist."));
      ctx.json(detail(a));
    }

    void acknowledge(Context ctx) {
      long id = alarmId(ctx);
      JsonNode body = body(ctx, "{\"comment\": \"...\"}");
      answer(ctx, desk.acknowledge(id, user(ctx, body), text(body, "comment")));
    }

    void close(Context ctx) {
      long id = alarmId(ctx);
      JsonNode body = body(ctx, "{\"rootCause\": \"...\", \"disposition\": \"released|quarantined|discarded\"}");
      answer(ctx, desk.close(id, user(ctx, body), text(body, "rootCause"), text(body, "disposition")));
    }

    /**
     * The logged-in user, who does what the request asks. A {@code user} field (the API took one
     * before there were logins) must name that same user: an action is never recorded under
     * another name.
     */
    private static String user(Context ctx, JsonNode body) {
      String who = Guard.session(ctx).user();
      String given = text(body, "user");
      if (given != null && !given.strip().equals(who)) {
        throw new BadRequest(400, Checks.message("user", given, "be left out",
            "actions are recorded under the logged-in user, " + who));
      }
      return who;
    }

    private void answer(Context ctx, AlarmDesk.Outcome outcome) {
      if (outcome instanceof AlarmDesk.Done d) {
        ctx.json(detail(d.alarm()));
      } else if (outcome instanceof AlarmDesk.Invalid i) {
        throw new BadRequest(400, i.message());
      } else if (outcome instanceof AlarmDesk.NotFound n) {
        throw new BadRequest(404, n.message());
      } else {
        throw new BadRequest(409, ((AlarmDesk.Refused) outcome).message());
      }
    }

    private JsonNode detail(AlarmRow a) {
      ObjectNode o = json.valueToTree(view(a));
      o.set("history", json.valueToTree(store.alarmHistory(a.id()).stream()
          .map(h -> new HistoryView(iso(h.at()), h.event(), h.actor(), h.comment().orElse(null))).toList()));
      return o;
    }

    private static long alarmId(Context ctx) {
      String text = ctx.pathParam("id");
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new BadRequest(400, Checks.message("id", text, "be a whole number"));
      }
    }

    private JsonNode body(Context ctx, String example) {
      try {
        JsonNode body = json.readTree(ctx.body());
        if (body != null && body.isObject()) {
          return body;
        }
      } catch (JsonProcessingException e) {
        // answered below
      }
      throw new BadRequest(400, "The request body must be a JSON object such as " + example + ".");
    }

    /** A field as text: null when missing or null; numbers and other values as their JSON. */
    private static String text(JsonNode body, String field) {
      JsonNode n = body.get(field);
      return n == null || n.isNull() ? null : n.isTextual() ? n.textValue() : n.toString();
    }

    void audit(Context ctx) {
      long after = longParam(ctx, "after", 0, 0);
      int limit = (int) longParam(ctx, "limit", MAX_AUDIT, 1);
      if (limit > MAX_AUDIT) {
        throw new BadRequest(400, Checks.message("limit", limit, "be from 1 to " + MAX_AUDIT));
      }
      List<AuditView> out = new ArrayList<>();
      for (AuditRow r : store.auditEntries(after, limit)) {
        JsonNode details;
        try {
          details = json.readTree(r.details());
        } catch (JsonProcessingException e) {
          details = TextNode.valueOf(r.details()); // damaged: shown as stored, verify tells
        }
        out.add(new AuditView(r.seq(), iso(r.time()), r.actor(), r.action(), r.subject(), details, r.prevHash(),
            r.hash()));
      }
      ctx.json(out);
    }

    void auditHead(Context ctx) {
      ctx.json(store.auditHead().map(h -> new HeadView(h.seq(), h.hash())).orElse(new HeadView(0, null)));
    }

    void auditVerify(Context ctx) {
      AuditVerifier verifier = new AuditVerifier();
      GatewayStore.scanAuditTrail(store.database(), verifier::accept);
      AuditReport r = verifier.report();
      ctx.json(new VerifyView(r.ok(), r.entries(), r.head().map(h -> new HeadView(h.seq(), h.hash())).orElse(null),
          r.problems()));
    }

    private static long longParam(Context ctx, String name, long fallback, long min) {
      String text = ctx.queryParam(name);
      if (text == null || text.isBlank()) {
        return fallback;
      }
      try {
        long v = Long.parseLong(text.trim());
        if (v >= min) {
          return v;
        }
      } catch (NumberFormatException e) {
        // answered below
      }
      throw new BadRequest(400, Checks.message(name, text, "be a whole number of at least " + min));
    }

    void metrics(Context ctx) {
      ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape());
    }

    private static AlarmView view(AlarmRow a) {
      return new AlarmView(a.id(), a.site(), a.unit(), a.kind().name(), a.state().name(),
          iso(a.startedAt()), iso(a.raisedAt()),
          a.clearedAt().isPresent() ? iso(a.clearedAt().getAsLong()) : null,
          boxed(a.triggerValue()), boxed(a.limit()), boxed(a.peak()), a.late(),
          a.acknowledged().map(k -> new AckView(k.user(), iso(k.at()), k.comment())).orElse(null),
          a.closed().map(c -> new CloseView(c.user(), iso(c.at()), c.rootCause(), c.disposition().wire()))
              .orElse(null));
    }

    /** A unit's chart: see {@link UnitChart}. */
    void chart(Context ctx) {
      String id = ctx.pathParam("id");
      Unit unit = fleet.unit(id).orElseThrow(() -> new BadRequest(404, "unit [" + id + "] is not configured."));
      long to = time(ctx, "to").orElse(clock.millis());
      long from = time(ctx, "from").orElse(to - DEFAULT_RANGE.toMillis());
      if (from >= to) {
        throw new BadRequest(400, Checks.message("from", ctx.queryParam("from") == null ? iso(from)
            : ctx.queryParam("from"), "be before to (" + iso(to) + ")"));
      }
      long points = longParam(ctx, "points", UnitChart.DEFAULT_POINTS, 2);
      if (points > UnitChart.MAX_POINTS) {
        throw new BadRequest(400, Checks.message("points", points, "be from 2 to " + UnitChart.MAX_POINTS));
      }
      UnitChart.Series series = UnitChart.of(store, id, from, to, (int) points, unit.profile().monitoringLostAfter());
      List<ExcursionView> excursions = store.alarmsOfUnit(id, from, to, MAX_ALARMS).stream()
          .filter(a -> a.kind().severity() == AlarmKind.Severity.ALARM)
          .map(a -> new ExcursionView(a.id(), a.kind().name(), iso(a.startedAt()),
              a.clearedAt().isPresent() ? iso(a.clearedAt().getAsLong()) : null))
          .toList();
      ctx.json(new ChartView(id, iso(from), iso(to), series.raw(), series.bucketMillis(), series.points().stream()
          .map(p -> new ChartPointView(iso(p.t()), p.min(), p.max(), p.mean(), p.count())).toList(), excursions));
    }

    /** An ISO-8601 time or epoch milliseconds in query parameter {@code name}. */
    private static Optional<Long> time(Context ctx, String name) {
      String text = ctx.queryParam(name);
      if (text == null || text.isBlank()) {
        return Optional.empty();
      }
      String t = text.trim();
      try {
        if (t.matches("-?\\d{1,18}")) {
          return Optional.of(Long.parseLong(t));
        }
        return Optional.of(Instant.parse(t).toEpochMilli());
      } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
        throw new BadRequest(400, Checks.message(name, text,
            "be an ISO-8601 time such as 2026-11-23T10:00:00Z or epoch milliseconds"));
      }
    }
  }

  private static String iso(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }

  private static Double boxed(OptionalDouble d) {
    return d.isPresent() ? d.getAsDouble() : null;
  }
}
