package org.sangfroid.gateway.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sangfroid.gateway.alarm.AlarmDesk;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.store.AgentRow;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.AlarmState;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Users;
import org.sangfroid.gateway.web.Pages.Notice;

/** The handlers of the web app's pages and forms. Every action is the logged-in user's. */
final class PageRoutes {
  /** Closed alarms shown under "recent" in the inbox. */
  static final int RECENT = 50;

  private final GatewayStore store;
  private final AlarmDesk desk;
  private final Board board;
  private final Pages pages;
  private final Guard guard;
  private final Sessions sessions;
  private final Users users;
  private final Clock clock;
  private final Fleet fleet;

  PageRoutes(GatewayStore store, AlarmDesk desk, Board board, Pages pages, Guard guard, Sessions sessions,
      Users users, Clock clock, Fleet fleet) {
    this.fleet = fleet;
    this.store = store;
    this.desk = desk;
    this.board = board;
    this.pages = pages;
    this.guard = guard;
    this.sessions = sessions;
    this.users = users;
    this.clock = clock;
  }

  private Texts texts(Session s) {
    return guard.texts(s.language());
  }

  void dashboard(Context ctx) {
    Session s = Guard.session(ctx);
    ctx.html(pages.dashboard(texts(s), s, board.units(), clock.millis()));
  }

  void inbox(Context ctx) {
    Session s = Guard.session(ctx);
    List<AlarmRow> open = store.openAlarms(WebApi.MAX_ALARMS);
    List<AlarmRow> recent = store.alarms(false, WebApi.MAX_ALARMS).stream()
        .filter(a -> a.state() == AlarmState.CLOSED).limit(RECENT).toList();
    ctx.html(pages.inbox(texts(s), s, open, recent));
  }

  void alarm(Context ctx) {
    Session s = Guard.session(ctx);
    AlarmRow a = alarm(ctx, s);
    Optional<Notice> notice = Optional.ofNullable(ctx.queryParam("done"))
        .filter(d -> d.equals("acknowledged") || d.equals("closed"))
        .map(d -> new Notice(texts(s).t("done." + d), false));
    ctx.html(pages.alarm(texts(s), s, a, store.alarmHistory(a.id()), notice, Map.of()));
  }

  private AlarmRow alarm(Context ctx, Session s) {
    String text = ctx.pathParam("id");
    Optional<AlarmRow> a = Optional.empty();
    try {
      a = store.alarm(Long.parseLong(text));
    } catch (NumberFormatException e) {
      // answered below
    }
    return a.orElseThrow(() -> new Denied(404, texts(s).t("error.noAlarm", text)));
  }

  void acknowledge(Context ctx) {
    Session s = Guard.session(ctx);
    AlarmRow a = alarm(ctx, s);
    Map<String, String> typed = typed(ctx, "comment");
    if (typed.get("comment").isBlank()) {
      again(ctx, s, a, 400, texts(s).t("error.commentRequired"), typed);
      return;
    }
    answer(ctx, s, a, desk.acknowledge(a.id(), s.user(), typed.get("comment")), "acknowledged", typed);
  }

  void close(Context ctx) {
    Session s = Guard.session(ctx);
    AlarmRow a = alarm(ctx, s);
    Map<String, String> typed = typed(ctx, "rootCause", "disposition");
    if (typed.get("rootCause").isBlank()) {
      again(ctx, s, a, 400, texts(s).t("error.rootCauseRequired"), typed);
      return;
    }
    if (typed.get("disposition").isBlank()) {
      again(ctx, s, a, 400, texts(s).t("error.dispositionRequired"), typed);
      return;
    }
    answer(ctx, s, a, desk.close(a.id(), s.user(), typed.get("rootCause"), typed.get("disposition")), "closed", typed);
  }

  private static Map<String, String> typed(Context ctx, String... fields) {
    Map<String, String> m = new HashMap<>();
    for (String f : fields) {
      m.put(f, Optional.ofNullable(ctx.formParam(f)).orElse(""));
    }
    return m;
  }

  private void answer(Context ctx, Session s, AlarmRow a, AlarmDesk.Outcome o, String done, Map<String, String> typed) {
    if (o instanceof AlarmDesk.Done) {
      ctx.redirect("/alarms/" + a.id() + "?done=" + done, HttpStatus.SEE_OTHER);
    } else if (o instanceof AlarmDesk.Invalid i) {
      again(ctx, s, a, 400, texts(s).t("error.invalid", i.message()), typed);
    } else if (o instanceof AlarmDesk.Refused r) {
      again(ctx, s, store.alarm(a.id()).orElse(a), 409, texts(s).t("error.refused", r.message()), typed);
    } else {
      throw new Denied(404, texts(s).t("error.noAlarm", a.id()));
    }
  }

  /** The alarm's page again, with what the user typed and why it was not done. */
  private void again(Context ctx, Session s, AlarmRow a, int status, String why, Map<String, String> typed) {
    ctx.status(status).html(pages.alarm(texts(s), s, a, store.alarmHistory(a.id()),
        Optional.of(new Notice(why, true)), typed));
  }

  void agents(Context ctx) {
    Session s = Guard.session(ctx);
    Map<String, AgentRow> rows = new HashMap<>();
    store.agents().forEach(a -> rows.put(a.site() + "/" + a.agent(), a));
    Map<String, AgentRow.OutboxHealth> outboxes = new HashMap<>();
    store.agentOutboxHealth().forEach(o -> outboxes.put(o.site() + "/" + o.agent(), o));
    Map<String, Long> faults = new HashMap<>(); // open probe-fault alarms, by the unit's agent
    for (AlarmRow a : store.openAlarms(WebApi.MAX_ALARMS)) {
      if (a.kind() == AlarmKind.PROBE_FAULT) {
        fleet.unit(a.unit()).ifPresent(u -> faults.merge(u.site() + "/" + u.agent(), 1L, Long::sum));
      }
    }
    List<Pages.AgentLine> lines = fleet.agents().stream().map(a -> {
      String key = a.site() + "/" + a.id();
      return new Pages.AgentLine(a, Optional.ofNullable(rows.get(key)), Optional.ofNullable(outboxes.get(key)),
          faults.getOrDefault(key, 0L));
    }).toList();
    ctx.html(pages.agents(texts(s), s, lines, clock.millis()));
  }

  void language(Context ctx) {
    Session s = Guard.session(ctx);
    String wanted = Optional.ofNullable(ctx.formParam("language")).orElse("");
    Language l = Language.fromWire(wanted).orElseThrow(() -> new Denied(400, "language [" + wanted
        + "] must be en or fr."));
    if (l != s.language()) {
      users.setLanguage(s.user(), l);
      sessions.setLanguage(s.id(), l);
    }
    ctx.redirect(Guard.next(ctx.formParam("back")), HttpStatus.SEE_OTHER);
  }

  void logout(Context ctx) {
    guard.logout(ctx);
    ctx.redirect("/login", HttpStatus.SEE_OTHER);
  }

  // ---- unit page (issue 5) ----

  /** Alarms listed on a unit's page. */
  static final int UNIT_ALARMS = 10;

  void unit(Context ctx) {
    Session s = Guard.session(ctx);
    String id = ctx.pathParam("id");
    Unit unit = fleet.unit(id).orElseThrow(() -> new Denied(404, texts(s).t("error.noUnit", id)));
    long due = store.unitState(id).map(UnitState::calibrationDue).orElse(UnitState.NEVER);
    ctx.html(pages.unit(texts(s), s, unit, due, store.recentAlarmsOfUnit(id, UNIT_ALARMS), clock.millis(),
        guard.zone()));
  }
}
