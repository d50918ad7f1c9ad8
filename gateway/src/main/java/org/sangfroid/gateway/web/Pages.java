package org.sangfroid.gateway.web;

import static org.sangfroid.gateway.web.Html.esc;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Rule;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.gateway.alarm.AlarmLifecycle;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Agent;
import org.sangfroid.gateway.config.GatewayConfig.Site;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.store.AgentRow;
import org.sangfroid.gateway.store.AlarmHistoryRow;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.AlarmState;
import org.sangfroid.gateway.store.Disposition;
import org.sangfroid.gateway.user.Role;
import org.sangfroid.gateway.web.Board.UnitStatus;

/**
 * The web app's pages, rendered on the server as plain HTML: no template engine, every value
 * from users, agents or the configuration escaped ({@link Html#esc}). Scripts only in
 * {@code /static/}, so the Content-Security-Policy can forbid inline ones. Thread-safe.
 */
final class Pages {
  private final Fleet fleet;

  Pages(Fleet fleet) {
    this.fleet = fleet;
  }

  /** A form's error, or a notice, shown above the page's content. */
  record Notice(String text, boolean error) {}

  private static String page(Texts t, Optional<Session> session, String title, String current, String body,
      Optional<Notice> notice) {
    StringBuilder b = new StringBuilder(8192);
    b.append("<!DOCTYPE html>\n<html lang=\"").append(t.language().wire()).append("\">\n<head>\n")
        .append("<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc(title)).append(" · Sangfroid</title>\n")
        .append("<link rel=\"stylesheet\" href=\"/static/app.css\">\n")
        .append("<script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n<header>\n")
        .append("<span class=\"brand\">Sangfroid</span>\n");
    if (session.isPresent()) {
      Session s = session.get();
      b.append("<nav>")
          .append(link("/", t.t("nav.dashboard"), current.equals("/")))
          .append(link("/alarms", t.t("nav.inbox"), current.startsWith("/alarms")))
          .append(link("/agents", t.t("nav.agents"), current.startsWith("/agents")))
          .append(s.role().atLeast(Role.QM) ? link("/audit", t.t("nav.audit"), current.startsWith("/audit")) : "")
          .append("</nav>\n<div class=\"who\">")
          .append("<span class=\"user\">").append(esc(s.user())).append(" (")
          .append(esc(t.t("role." + s.role().wire()))).append(")</span>\n")
          .append("<form method=\"post\" action=\"/language\" class=\"inline\">").append(csrf(s))
          .append("<input type=\"hidden\" name=\"back\" value=\"").append(esc(current)).append("\">")
          .append("<button name=\"language\" value=\"").append(t.language().wire().equals("fr") ? "en" : "fr")
          .append("\" class=\"link\" id=\"switch-language\" title=\"").append(esc(t.t("nav.language"))).append("\">")
          .append(t.language().wire().equals("fr") ? "English" : "Français").append("</button></form>\n")
          .append("<form method=\"post\" action=\"/logout\" class=\"inline\">").append(csrf(s))
          .append("<button class=\"link\" id=\"logout\">").append(esc(t.t("nav.logout"))).append("</button></form>")
          .append("</div>\n");
    }
    b.append("</header>\n<main>\n<h1>").append(esc(title)).append("</h1>\n");
    notice.ifPresent(n -> b.append("<p class=\"notice").append(n.error() ? " error" : "").append("\" role=\"")
        .append(n.error() ? "alert" : "status").append("\">").append(esc(n.text())).append("</p>\n"));
    b.append(body).append("</main>\n</body>\n</html>\n");
    return b.toString();
  }

  private static String link(String href, String text, boolean current) {
    return "<a href=\"" + href + "\"" + (current ? " aria-current=\"page\"" : "") + ">" + esc(text) + "</a>";
  }

  static String csrf(Session s) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(s.csrf()) + "\">";
  }

  // ---- login ----

  String login(Texts t, String formToken, String next, Optional<Notice> notice) {
    String body = """
        <form method="post" action="/login" class="login">
        <input type="hidden" name="csrf" value="%s">
        <input type="hidden" name="next" value="%s">
        <label>%s <input name="name" id="name" autocomplete="username" required autofocus></label>
        <label>%s <input name="password" id="password" type="password" autocomplete="current-password" required></label>
        <button type="submit" id="login">%s</button>
        </form>
        """.formatted(esc(formToken), esc(next), esc(t.t("login.name")), esc(t.t("login.password")),
        esc(t.t("login.submit")));
    return page(t, Optional.empty(), t.t("login.title"), "/login", body, notice);
  }

  // ---- dashboard ----

  String dashboard(Texts t, Session s, List<UnitStatus> units, long now) {
    Map<String, List<UnitStatus>> bySite = new LinkedHashMap<>();
    units.forEach(u -> bySite.computeIfAbsent(u.unit().site(), k -> new ArrayList<>()).add(u));
    StringBuilder b = new StringBuilder();
    b.append("<p class=\"live\" id=\"live\" data-live=\"/live/dashboard\" data-connected=\"")
        .append(esc(t.t("dashboard.live"))).append("\" data-lost=\"").append(esc(t.t("dashboard.lost"))).append("\">")
        .append(esc(t.t("dashboard.connecting"))).append("</p>\n");
    for (Map.Entry<String, List<UnitStatus>> e : bySite.entrySet()) {
      String siteName = fleet.site(e.getKey()).map(Site::name).orElse(e.getKey());
      b.append("<section class=\"site\"><h2>").append(esc(siteName)).append("</h2>\n<table class=\"units\">\n<thead><tr>")
          .append(th(t, "col.unit")).append(th(t, "col.temperature")).append(th(t, "col.profile"))
          .append(th(t, "col.state")).append(th(t, "col.lastReading")).append(th(t, "col.agent"))
          .append("</tr></thead>\n<tbody>\n");
      for (UnitStatus u : e.getValue()) {
        Map<String, String> cells = cells(t, u, now);
        b.append("<tr id=\"unit-").append(esc(u.unit().id())).append("\" class=\"unit state-").append(u.state())
            .append("\" data-unit=\"").append(esc(u.unit().id())).append("\">")
            .append("<td class=\"name\"><a href=\"/units/").append(esc(u.unit().id())).append("\">")
            .append(esc(u.unit().name())).append("</a><small>").append(esc(u.unit().id()))
            .append("</small>").append(ReportPages.unitLink(t, u.unit().id())).append("</td>")
            .append("<td class=\"temperature\">").append(esc(cells.get("temperature"))).append("</td>")
            .append("<td class=\"profile\">").append(esc(u.unit().profile().id())).append("</td>")
            .append("<td class=\"state\">").append(esc(cells.get("state"))).append("</td>")
            .append("<td class=\"age\">").append(esc(cells.get("age"))).append("</td>")
            .append("<td class=\"agent\">").append(esc(cells.get("agent"))).append("</td></tr>\n");
      }
      b.append("</tbody></table></section>\n");
    }
    return page(t, Optional.of(s), t.t("dashboard.title"), "/", b.toString(), Optional.empty());
  }

  private static String th(Texts t, String key) {
    return "<th>" + esc(t.t(key)) + "</th>";
  }

  /** A unit's changing cells as shown: temperature, state, age, agent (also sent live). */
  static Map<String, String> cells(Texts t, UnitStatus u, long now) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("temperature", u.last().map(r -> t.celsius(r.value())).orElse("—"));
    c.put("state", t.t("state." + u.state()));
    c.put("age", u.last().map(r -> t.t("dashboard.ago", t.ago(Duration.ofMillis(now - r.time()))))
        .orElse(t.t("dashboard.never")));
    c.put("agent", agent(t, u.agent()));
    return c;
  }

  private static String agent(Texts t, Optional<AgentRow> agent) {
    if (agent.isEmpty()) {
      return t.t("agent.unknown");
    }
    AgentRow a = agent.get();
    if (!a.online()) {
      return t.t("agent.offline");
    }
    return a.outboxDepth().isPresent() ? t.t("agent.online", a.outboxDepth().getAsLong()) : t.t("agent.onlineNoDepth");
  }

  // ---- alarm inbox ----

  String inbox(Texts t, Session s, List<AlarmRow> open, List<AlarmRow> recent) {
    StringBuilder b = new StringBuilder();
    b.append("<h2>").append(esc(t.t("inbox.open"))).append("</h2>\n").append(alarmTable(t, open, "open-alarms"));
    b.append("<h2>").append(esc(t.t("inbox.recent"))).append("</h2>\n").append(alarmTable(t, recent, "recent-alarms"));
    return page(t, Optional.of(s), t.t("inbox.title"), "/alarms", b.toString(), Optional.empty());
  }

  private String alarmTable(Texts t, List<AlarmRow> alarms, String id) {
    if (alarms.isEmpty()) {
      return "<p id=\"" + id + "\" class=\"empty\">" + esc(t.t("inbox.none")) + "</p>\n";
    }
    StringBuilder b = new StringBuilder("<table class=\"alarms\" id=\"" + id + "\">\n<thead><tr>")
        .append(th(t, "col.alarm")).append(th(t, "col.unit")).append(th(t, "col.kind"))
        .append(th(t, "col.alarmState")).append(th(t, "col.started")).append(th(t, "col.peak"))
        .append(th(t, "col.acknowledgedBy")).append("</tr></thead>\n<tbody>\n");
    for (AlarmRow a : alarms) {
      b.append("<tr class=\"alarm alarm-").append(a.state().name().toLowerCase(Locale.ROOT))
          .append("\" data-alarm=\"").append(a.id()).append("\">")
          .append("<td><a href=\"/alarms/").append(a.id()).append("\">#").append(a.id()).append("</a></td>")
          .append("<td>").append(esc(unitName(a.unit()))).append("</td>")
          .append("<td>").append(esc(t.t("kind." + a.kind().name()))).append("</td>")
          .append("<td class=\"alarm-state\">").append(esc(t.t("alarmState." + a.state().name()))).append("</td>")
          .append("<td>").append(esc(t.time(a.startedAt()))).append("</td>")
          .append("<td>").append(esc(t.celsius(a.peak()))).append("</td>")
          .append("<td>").append(esc(a.acknowledged().map(k -> k.user()).orElse("—"))).append("</td></tr>\n");
    }
    return b.append("</tbody></table>\n").toString();
  }

  private String unitName(String unit) {
    return fleet.unit(unit).map(Unit::name).orElse(unit);
  }

  // ---- one alarm ----

  String alarm(Texts t, Session s, AlarmRow a, List<AlarmHistoryRow> history, Optional<Notice> notice,
      Map<String, String> typed) {
    StringBuilder b = new StringBuilder();
    b.append("<dl class=\"facts\" id=\"alarm-facts\">\n")
        .append(fact(t, "alarm.state", t.t("alarmState." + a.state().name()), "alarm-state"))
        .append(fact(t, "alarm.kind", t.t("kind." + a.kind().name()), "alarm-kind"))
        .append(fact(t, "alarm.unit", unitName(a.unit()) + " (" + a.unit() + ")", "alarm-unit"))
        .append(fact(t, "alarm.site", fleet.site(a.site()).map(Site::name).orElse(a.site()), "alarm-site"))
        .append(fact(t, "alarm.started", t.time(a.startedAt()), "alarm-started"))
        .append(fact(t, "alarm.raised", t.time(a.raisedAt()) + (a.late() ? " — " + t.t("alarm.late") : ""), "alarm-raised"))
        .append(fact(t, "alarm.cleared", a.clearedAt().isPresent() ? t.time(a.clearedAt().getAsLong())
            : t.t("alarm.stillOn"), "alarm-cleared"))
        .append(fact(t, "alarm.trigger", t.celsius(a.triggerValue()) + " / " + t.t("alarm.limit") + " "
            + t.celsius(a.limit()), "alarm-trigger"))
        .append(fact(t, "alarm.peak", t.celsius(a.peak()), "alarm-peak"));
    a.acknowledged().ifPresent(k -> b.append(fact(t, "alarm.acknowledged",
        t.t("alarm.byAt", k.user(), t.time(k.at())) + " — " + k.comment(), "alarm-acknowledged")));
    a.closed().ifPresent(c -> b.append(fact(t, "alarm.closed", t.t("alarm.byAt", c.user(), t.time(c.at())) + " — "
        + t.t("disposition." + c.disposition().wire()) + " — " + c.rootCause(), "alarm-closed")));
    b.append("</dl>\n").append(ReportPages.alarmLinks(t, a));

    boolean decides = s.role().atLeast(Role.QM);
    if (AlarmLifecycle.refuseAcknowledge(a).isEmpty()) {
      if (decides) {
        b.append("<form method=\"post\" action=\"/alarms/").append(a.id()).append("/acknowledge\" class=\"action\" id=\"acknowledge\">")
            .append(csrf(s)).append("<h2>").append(esc(t.t("ack.title"))).append("</h2>")
            .append("<label>").append(esc(t.t("ack.comment"))).append(" <textarea name=\"comment\" id=\"ack-comment\" required maxlength=\"4000\">")
            .append(esc(typed.getOrDefault("comment", ""))).append("</textarea></label>")
            .append("<button type=\"submit\">").append(esc(t.t("ack.submit"))).append("</button></form>\n");
      } else {
        b.append("<p class=\"hint\">").append(esc(t.t("alarm.onlyQm"))).append("</p>\n");
      }
    }
    if (a.state() != AlarmState.CLOSED && a.acknowledged().isPresent()) {
      Optional<String> refused = AlarmLifecycle.refuseClose(a);
      if (refused.isPresent()) {
        b.append("<p class=\"hint\" id=\"close-later\">").append(esc(t.t("close.later"))).append("</p>\n");
      } else if (decides) {
        b.append("<form method=\"post\" action=\"/alarms/").append(a.id()).append("/close\" class=\"action\" id=\"close\">")
            .append(csrf(s)).append("<h2>").append(esc(t.t("close.title"))).append("</h2>")
            .append("<label>").append(esc(t.t("close.rootCause"))).append(" <textarea name=\"rootCause\" id=\"root-cause\" required maxlength=\"4000\">")
            .append(esc(typed.getOrDefault("rootCause", ""))).append("</textarea></label>")
            .append("<label>").append(esc(t.t("close.disposition"))).append(" <select name=\"disposition\" id=\"disposition\" required>")
            .append("<option value=\"\">").append(esc(t.t("disposition.choose"))).append("</option>");
        for (Disposition d : Disposition.values()) {
          b.append("<option value=\"").append(d.wire()).append("\"")
              .append(d.wire().equals(typed.get("disposition")) ? " selected" : "").append(">")
              .append(esc(t.t("disposition." + d.wire()))).append("</option>");
        }
        b.append("</select></label><button type=\"submit\">").append(esc(t.t("close.submit"))).append("</button></form>\n");
      } else {
        b.append("<p class=\"hint\">").append(esc(t.t("alarm.onlyQm"))).append("</p>\n");
      }
    }

    b.append("<h2>").append(esc(t.t("alarm.history"))).append("</h2>\n<table class=\"history\" id=\"history\">\n<thead><tr>")
        .append(th(t, "history.at")).append(th(t, "history.event")).append(th(t, "history.user"))
        .append(th(t, "history.comment")).append("</tr></thead>\n<tbody>\n");
    for (AlarmHistoryRow h : history) {
      b.append("<tr><td>").append(esc(t.time(h.at()))).append("</td><td>").append(esc(t.t("event." + h.event())))
          .append("</td><td>").append(esc(h.actor().equals("system") ? t.t("history.system") : h.actor()))
          .append("</td><td>").append(esc(h.comment().orElse(""))).append("</td></tr>\n");
    }
    b.append("</tbody></table>\n<p><a href=\"/alarms\">").append(esc(t.t("alarm.back"))).append("</a></p>\n");
    return page(t, Optional.of(s), t.t("alarm.title", a.id()), "/alarms/" + a.id(), b.toString(), notice);
  }

  private static String fact(Texts t, String key, String value, String id) {
    return "<dt>" + esc(t.t(key)) + "</dt><dd id=\"" + id + "\">" + esc(value) + "</dd>\n";
  }

  // ---- agents ----

  /** One configured agent as the agents page shows it; empty rows when it was never heard from. */
  record AgentLine(Agent agent, Optional<AgentRow> row, Optional<AgentRow.OutboxHealth> outbox, long probeFaults) {}

  String agents(Texts t, Session s, List<AgentLine> agents, long now) {
    StringBuilder b = new StringBuilder("<table class=\"agents\" id=\"agents\">\n<thead><tr>")
        .append(th(t, "col.site")).append(th(t, "col.agent")).append(th(t, "col.status"))
        .append(th(t, "col.version")).append(th(t, "col.lastSeen")).append(th(t, "col.outbox"))
        .append(th(t, "col.oldestWaiting")).append(th(t, "col.dropped")).append(th(t, "col.probeFaults"))
        .append("</tr></thead>\n<tbody>\n");
    for (AgentLine a : agents) {
      Optional<AgentRow> r = a.row();
      String status = r.isEmpty() ? t.t("agent.unknown") : r.get().online() ? t.t("agent.onlineNoDepth")
          : t.t("agent.offline");
      b.append("<tr id=\"agent-").append(esc(a.agent().site() + "-" + a.agent().id())).append("\" class=\"")
          .append(r.isEmpty() ? "agent-unknown" : r.get().online() ? "agent-online" : "agent-offline").append("\">")
          .append("<td>").append(esc(fleet.site(a.agent().site()).map(Site::name).orElse(a.agent().site()))).append("</td>")
          .append("<td>").append(esc(a.agent().id())).append("</td>")
          .append("<td class=\"status\">").append(esc(status)).append("</td>")
          .append("<td class=\"version\">").append(esc(r.flatMap(AgentRow::version).orElse("—"))).append("</td>")
          .append("<td class=\"last-seen\">").append(esc(r.isPresent() && r.get().lastSeen().isPresent()
              ? t.t("dashboard.ago", t.ago(Duration.ofMillis(now - r.get().lastSeen().getAsLong()))) : "—")).append("</td>")
          .append("<td class=\"outbox\">").append(esc(r.isPresent() && r.get().outboxDepth().isPresent()
              ? t.number(r.get().outboxDepth().getAsLong()) : "—")).append("</td>")
          .append("<td class=\"oldest\">").append(esc(a.outbox().isPresent() && a.outbox().get().oldestUnsent().isPresent()
              ? t.time(a.outbox().get().oldestUnsent().getAsLong()) : "—")).append("</td>")
          .append("<td class=\"dropped").append(a.outbox().flatMap(o -> o.dropped().isPresent()
              && o.dropped().getAsLong() > 0 ? Optional.of(" bad") : Optional.empty()).orElse("")).append("\">")
          .append(esc(a.outbox().isPresent() && a.outbox().get().dropped().isPresent()
              ? t.number(a.outbox().get().dropped().getAsLong()) : "—")).append("</td>")
          .append("<td class=\"probe-faults").append(a.probeFaults() > 0 ? " bad" : "").append("\">")
          .append(esc(t.number(a.probeFaults()))).append("</td></tr>\n");
    }
    b.append("</tbody></table>\n<p class=\"hint\">").append(esc(t.t("agents.help"))).append("</p>\n");
    return page(t, Optional.of(s), t.t("agents.title"), "/agents", b.toString(), Optional.empty());
  }

  // ---- errors ----

  static String problem(Texts t, Optional<Session> s, String title, String text) {
    return page(t, s, title, "", "<p><a href=\"/\">" + esc(t.t("nav.dashboard")) + "</a></p>\n",
        Optional.of(new Notice(text, true)));
  }

  // ---- one unit (issue 5) ----

  /** The chart's preset ranges, in hours: 1 h, 24 h, 7 d, 30 d, 1 year. */
  static final List<Integer> RANGES = List.of(1, 24, 168, 720, 8760);

  /**
   * A unit's page: its chart (drawn by {@code /static/unit.js} from {@code /api/units/{id}/chart},
   * with the limits, the excursions and the agent's events), the summary of the range shown, the
   * calibration of its probes and its recent alarms.
   *
   * @param calibrationDue the earliest calibration due date of the unit's probes, as the agent's
   *     status said, or {@link UnitState#NEVER} when unknown
   */
  String unit(Texts t, Session s, Unit u, long calibrationDue, List<AlarmRow> alarms, long now, ZoneId zone) {
    Profile p = u.profile();
    StringBuilder b = new StringBuilder();
    String site = fleet.site(u.site()).map(Site::name).orElse(u.site());
    b.append("<link rel=\"stylesheet\" href=\"/static/vendor/uplot/uPlot.min.css\">\n")
        .append("<dl class=\"facts\" id=\"unit-facts\">\n")
        .append(fact(t, "unit.site", site, "unit-site"))
        .append(fact(t, "unit.profile", p.title() == null || p.title().isBlank() ? p.id() : p.title() + " (" + p.id() + ")", "unit-profile"))
        .append(fact(t, "unit.range", range(t, p), "unit-range"))
        .append("</dl>\n<p>").append(ReportPages.unitLink(t, u.id()).strip()).append("</p>\n");
    b.append("<div class=\"ranges\" role=\"group\" aria-label=\"").append(esc(t.t("unit.rangeLabel"))).append("\">");
    for (int hours : RANGES) {
      b.append("<button type=\"button\" class=\"range\" id=\"range-").append(hours).append("h\" data-hours=\"")
          .append(hours).append("\"").append(hours == 24 ? " aria-pressed=\"true\"" : " aria-pressed=\"false\"")
          .append(">").append(esc(t.t("unit.range." + hours))).append("</button>");
    }
    b.append("</div>\n<div id=\"chart\" class=\"chart\"")
        .append(data("unit", u.id()))
        .append(data("chart", "/api/units/" + u.id() + "/chart"))
        .append(data("events", "/api/units/" + u.id() + "/events"))
        .append(data("summary", "/api/units/" + u.id() + "/summary"))
        .append(data("now", Long.toString(now)))
        .append(data("zone", zone.getId()))
        .append(data("lang", t.language().wire()))
        .append(p.hasLow() ? data("low", Double.toString(p.low())) : "")
        .append(p.hasHigh() ? data("high", Double.toString(p.high())) : "")
        .append(warning(p, AlarmKind.LOW_WARNING).map(w -> data("warn-low", Double.toString(w))).orElse(""))
        .append(warning(p, AlarmKind.HIGH_WARNING).map(w -> data("warn-high", Double.toString(w))).orElse(""));
    for (String key : List.of("mean", "min", "max", "temperature", "loading", "empty", "failed", "raw", "buckets",
        "event.door_open", "event.power_lost", "event.agitator_stopped")) {
      b.append(data("t-" + key.replace('.', '-').replace('_', '-'), t.t("chart." + key)));
    }
    b.append("></div>\n<p class=\"hint\" id=\"chart-status\" role=\"status\">").append(esc(t.t("chart.loading")))
        .append("</p>\n<ul class=\"legend\" id=\"chart-legend\">")
        .append("<li class=\"key-range\">").append(esc(t.t("chart.key.range"))).append("</li>")
        .append("<li class=\"key-warning\">").append(esc(t.t("chart.key.warning"))).append("</li>")
        .append("<li class=\"key-excursion\">").append(esc(t.t("chart.key.excursion"))).append("</li>")
        .append("<li class=\"key-event\">").append(esc(t.t("chart.key.event"))).append("</li>")
        .append("</ul>\n<p class=\"hint\">").append(esc(t.t("chart.zoomHelp"))).append("</p>\n");

    b.append("<h2>").append(esc(t.t("unit.summary"))).append(" <span id=\"summary-range\"></span></h2>\n")
        .append("<dl class=\"facts\" id=\"summary\">\n");
    for (String key : List.of("min", "max", "mean", "meanKinetic", "outOfRange", "uncovered", "readings")) {
      b.append("<dt>").append(esc(t.t("summary." + key))).append("</dt><dd id=\"summary-").append(key)
          .append("\">—</dd>\n");
    }
    b.append("</dl>\n<p class=\"hint\">").append(esc(t.t("summary.help"))).append("</p>\n");

    b.append("<h2>").append(esc(t.t("unit.calibration"))).append("</h2>\n<p id=\"calibration\" class=\"")
        .append(calibrationDue == UnitState.NEVER ? "calibration-unknown" : calibrationDue < now ? "calibration-overdue bad"
            : "calibration-ok").append("\">")
        .append(esc(calibrationDue == UnitState.NEVER ? t.t("calibration.unknown")
            : calibrationDue < now ? t.t("calibration.overdue", t.time(calibrationDue))
            : t.t("calibration.due", t.time(calibrationDue))))
        .append("</p>\n");

    b.append("<h2>").append(esc(t.t("unit.alarms"))).append("</h2>\n").append(alarmTable(t, alarms, "unit-alarms"));
    b.append("<script src=\"/static/vendor/uplot/uPlot.iife.min.js\" defer></script>\n")
        .append("<script src=\"/static/unit.js\" defer></script>\n");
    return page(t, Optional.of(s), t.t("unit.title", u.name()), "/units/" + u.id(), b.toString(), Optional.empty());
  }

  private static String data(String name, String value) {
    return " data-" + name + "=\"" + esc(value) + "\"";
  }

  /** "2.0 °C to 6.0 °C", "at most -25.0 °C", "at least 20.0 °C". */
  private static String range(Texts t, Profile p) {
    if (p.hasLow() && p.hasHigh()) {
      return t.t("unit.between", t.celsius(p.low()), t.celsius(p.high()));
    }
    return p.hasHigh() ? t.t("unit.atMost", t.celsius(p.high())) : t.t("unit.atLeast", t.celsius(p.low()));
  }

  /** A warning band's limit, if the profile has that warning as a plain threshold. */
  private static Optional<Double> warning(Profile p, AlarmKind kind) {
    return p.rule(kind).filter(Rule.Threshold.class::isInstance).map(r -> ((Rule.Threshold) r).limit());
  }

  // ---- pages drawn elsewhere (the audit trail) ----

  /** {@code body} in the app's frame: header, nav bar, title and notice. */
  String framed(Texts t, Session s, String title, String current, String body, Optional<Notice> notice) {
    return page(t, Optional.of(s), title, current, body, notice);
  }

  // ---- reports (issue 5): the page frame for ReportPages ----

  static String layout(Texts t, Session s, String title, String current, String body, Optional<Notice> notice) {
    return page(t, Optional.of(s), title, current, body, notice);
  }
}
