package org.sangfroid.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.ReadingRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP API (Javalin): JSON, times as ISO-8601 UTC strings, errors as
 * {@code {"error": "..."}} with status 400 or 404.
 *
 * <ul>
 *   <li>{@code GET /api/health}: {@code {status, broker: connected|disconnected, time}}
 *   <li>{@code GET /api/units}: {@code [{id, site, agent, name, profile, low, high, lastReading:
 *       {t, value, quality} | null, state: ok|warning|out_of_range|alarm|no_data}]} —
 *       warning: a warning band crossed; out_of_range: beyond a limit while the alarm delay runs
 *   <li>{@code GET /api/units/{id}/readings?from=&to=}: {@code [{seq, t, sensor, value,
 *       quality}]}, oldest first, measured from {@code from} to {@code to}, both included
 *       (ISO-8601 or epoch ms; default: {@code to} now, {@code from} 24 h before {@code to}), at most
 *       {@value #MAX_READINGS} (header {@code Sangfroid-Truncated: true} when there were more)
 *   <li>{@code GET /api/alarms?state=active|all}: {@code [{id, site, unit, kind, state,
 *       startedAt, raisedAt, clearedAt, triggerValue, limit, peak, late}]}, newest first, at most
 *       {@value #MAX_ALARMS}; {@code kind} is core's AlarmKind name ({@code HIGH_TEMPERATURE}),
 *       {@code state} {@code ACTIVE} or {@code CLEARED}
 *   <li>{@code GET /metrics}: Prometheus text
 * </ul>
 */
public final class WebApi implements AutoCloseable {
  public static final int MAX_READINGS = 10_000;
  public static final int MAX_ALARMS = 1_000;
  private static final Duration DEFAULT_RANGE = Duration.ofHours(24);
  private static final Logger LOG = LoggerFactory.getLogger(WebApi.class);

  private final Javalin app;

  private WebApi(Javalin app) {
    this.app = app;
  }

  /**
   * Starts the API on {@code bind:port} (port 0: any free port).
   *
   * @param brokerConnected whether the gateway's MQTT client is connected, for the health check
   */
  public static WebApi start(String bind, int port, Fleet fleet, GatewayStore store,
      PrometheusMeterRegistry meters, BooleanSupplier brokerConnected, Clock clock) {
    Routes routes = new Routes(fleet, store, meters, brokerConnected, clock);
    ObjectMapper mapper = new ObjectMapper();
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
      config.jsonMapper(new JavalinJackson(mapper, false));
      config.router.ignoreTrailingSlashes = true;
    });
    app.get("/api/health", routes::health);
    app.get("/api/units", routes::units);
    app.get("/api/units/{id}/readings", routes::readings);
    app.get("/api/alarms", routes::alarms);
    app.get("/metrics", routes::metrics);
    app.exception(BadRequest.class, (e, ctx) -> ctx.status(e.status).json(new Error(e.getMessage())));
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      ctx.status(500).json(new Error("internal error; see the gateway's log."));
    });
    app.start(bind, port);
    return new WebApi(app);
  }

  /** The port it listens on. */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }

  // ---- JSON shapes ----

  record Error(String error) {}

  record Health(String status, String broker, String time) {}

  record LastReading(String t, Double value, String quality) {}

  record UnitView(String id, String site, String agent, String name, String profile, Double low, Double high,
      LastReading lastReading, String state) {}

  record ReadingView(long seq, String t, String sensor, Double value, String quality) {}

  record AlarmView(long id, String site, String unit, String kind, String state, String startedAt,
      String raisedAt, String clearedAt, Double triggerValue, Double limit, Double peak, boolean late) {}

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

    Routes(Fleet fleet, GatewayStore store, PrometheusMeterRegistry meters, BooleanSupplier brokerConnected,
        Clock clock) {
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
      Set<String> inAlarm = store.unitsInAlarm();
      Set<String> warned = store.unitsWithWarning();
      List<UnitView> out = new ArrayList<>();
      for (Unit u : fleet.units()) {
        Optional<ReadingRow> last = store.lastReading(u.id());
        Profile p = u.profile();
        String state = inAlarm.contains(u.id()) ? "alarm"
            : last.isEmpty() ? "no_data"
            : beyondLimit(u.id()) ? "out_of_range"
            : warned.contains(u.id()) ? "warning"
            : "ok";
        out.add(new UnitView(u.id(), u.site(), u.agent(), u.name(), p.id(),
            p.hasLow() ? p.low() : null, p.hasHigh() ? p.high() : null,
            last.map(r -> new LastReading(iso(r.time()), boxed(r.value()), r.quality().wire())).orElse(null),
            state));
      }
      ctx.json(out);
    }

    /** Beyond a limit, its alarm delay still running: the quality manager should see it coming. */
    private boolean beyondLimit(String unit) {
      return store.unitState(unit).map(UnitState::outOfRangeWithinDelay).orElse(false);
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
          .map(r -> new ReadingView(r.seq(), iso(r.time()), r.sensor(), boxed(r.value()), r.quality().wire()))
          .toList());
    }

    void alarms(Context ctx) {
      String state = Optional.ofNullable(ctx.queryParam("state")).orElse("active");
      if (!state.equals("active") && !state.equals("all")) {
        throw new BadRequest(400, Checks.message("state", state, "be active or all"));
      }
      ctx.json(store.alarms(state.equals("active"), MAX_ALARMS).stream().map(Routes::view).toList());
    }

    void metrics(Context ctx) {
      ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape());
    }

    private static AlarmView view(AlarmRow a) {
      return new AlarmView(a.id(), a.site(), a.unit(), a.kind().name(), a.state().name(),
          iso(a.startedAt()), iso(a.raisedAt()),
          a.clearedAt().isPresent() ? iso(a.clearedAt().getAsLong()) : null,
          boxed(a.triggerValue()), boxed(a.limit()), boxed(a.peak()), a.late());
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
