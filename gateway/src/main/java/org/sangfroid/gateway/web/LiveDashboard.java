package org.sangfroid.gateway.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sangfroid.gateway.alarm.TickLoop;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.web.Board.UnitStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live dashboard updates over Server-Sent Events: every {@code every}, while anyone watches, the
 * units' states are read once and sent to each watcher in their language (event {@code units}:
 * {@code [{id, state, temperature, stateText, age, agent}]}). A watcher whose session ended gets
 * event {@code expired} and is dropped. Sending is not activity: it does not keep a session alive.
 */
final class LiveDashboard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveDashboard.class);

  private record Watcher(SseClient client, String sessionId) {}

  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  private final Board board;
  private final Sessions sessions;
  private final Clock clock;
  private final ZoneId zone;
  private final TickLoop loop;
  private final ObjectMapper json = new ObjectMapper();

  LiveDashboard(Board board, Sessions sessions, Clock clock, ZoneId zone, Duration every) {
    this.board = board;
    this.sessions = sessions;
    this.clock = clock;
    this.zone = zone;
    this.loop = new TickLoop("live dashboard", this::push, every, Duration.ofSeconds(2),
        TickLoop.namedThreads("sangfroid-web-live"));
  }

  LiveDashboard start() {
    loop.start();
    return this;
  }

  /** A new watcher: sent the current state at once, then every tick. */
  void watch(SseClient client, String sessionId) {
    Watcher w = new Watcher(client, sessionId);
    client.keepAlive();
    client.onClose(() -> watchers.remove(w));
    watchers.add(w);
    loop.runOnce(); // at once, not after a tick (skipped when a push is running: it comes soon)
  }

  int watchers() {
    return watchers.size();
  }

  private void push() {
    if (watchers.isEmpty()) {
      return;
    }
    List<UnitStatus> units = board.units();
    long now = clock.millis();
    Map<Language, String> byLanguage = new EnumMap<>(Language.class);
    for (Watcher w : watchers) {
      Optional<Session> s = sessions.peek(w.sessionId());
      try {
        if (s.isEmpty()) {
          w.client().sendEvent("expired", "{}");
          w.client().close();
          watchers.remove(w);
          continue;
        }
        String data = byLanguage.computeIfAbsent(s.get().language(), l -> render(new Texts(l, zone), units, now));
        w.client().sendEvent("units", data);
        if (w.client().terminated()) {
          watchers.remove(w);
        }
      } catch (RuntimeException e) {
        LOG.debug("a live dashboard watcher went away: {}", e.toString());
        watchers.remove(w);
      }
    }
  }

  private String render(Texts t, List<UnitStatus> units, long now) {
    List<Map<String, String>> out = new ArrayList<>();
    for (UnitStatus u : units) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("id", u.unit().id());
      m.put("state", u.state());
      Map<String, String> cells = Pages.cells(t, u, now);
      m.put("temperature", cells.get("temperature"));
      m.put("stateText", cells.get("state"));
      m.put("age", cells.get("age"));
      m.put("agent", cells.get("agent"));
      out.add(m);
    }
    try {
      return json.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    loop.close();
    for (Watcher w : watchers) {
      try {
        w.client().close();
      } catch (RuntimeException e) {
        LOG.debug("closing a live dashboard watcher failed: {}", e.toString());
      }
    }
    watchers.clear();
  }
}
