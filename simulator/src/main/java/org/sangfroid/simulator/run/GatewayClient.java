package org.sangfroid.simulator.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.gateway.web.ApiClient;
import org.sangfroid.simulator.report.RaisedAlarm;
import org.sangfroid.simulator.report.RunReport;

/** Reads what the gateway stored through its JSON API (docs: gateway's WebApi). */
final class GatewayClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** The API's cap on one readings answer. */
  private static final int PAGE = 10_000;

  private final String base;
  private final String user;
  private final String password;
  private volatile ApiClient api;

  GatewayClient(String base, String user, String password) {
    this.base = base;
    this.user = user;
    this.password = password;
  }

  /** Every alarm the gateway holds, closed or not (at most the API's 1000 newest). */
  List<RaisedAlarm> alarms() throws IOException, InterruptedException {
    List<RaisedAlarm> out = new ArrayList<>();
    for (JsonNode a : get("/api/alarms?state=all")) {
      Optional<AlarmKind> kind = kind(a.get("kind").asText());
      if (kind.isEmpty()) {
        continue; // a kind this simulator does not know: a newer gateway
      }
      JsonNode cleared = a.get("clearedAt");
      JsonNode peak = a.get("peak");
      out.add(new RaisedAlarm(a.get("id").asLong(), a.get("unit").asText(), kind.get(),
          Instant.parse(a.get("startedAt").asText()), Instant.parse(a.get("raisedAt").asText()),
          cleared == null || cleared.isNull() ? Optional.empty() : Optional.of(Instant.parse(cleared.asText())),
          peak == null || !peak.isNumber() ? OptionalDouble.empty() : OptionalDouble.of(peak.asDouble()),
          a.path("late").asBoolean(false)));
    }
    return out;
  }

  private static Optional<AlarmKind> kind(String name) {
    try {
      return Optional.of(AlarmKind.valueOf(name));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Every reading of {@code unit} measured from {@code from} to {@code to} (both included), oldest first. */
  List<RunReport.Point> readings(String unit, Instant from, Instant to) throws IOException, InterruptedException {
    List<RunReport.Point> out = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    Instant next = from;
    while (true) {
      JsonNode page = get("/api/units/" + unit + "/readings?from=" + next.toEpochMilli() + "&to=" + to.toEpochMilli());
      Instant last = next;
      for (JsonNode r : page) {
        if (!seen.add(r.get("seq").asLong())) {
          continue; // a page starts at the previous one's last time: its readings come again
        }
        JsonNode v = r.get("value");
        Instant t = Instant.parse(r.get("t").asText());
        out.add(new RunReport.Point(t, r.get("sensor").asText(), v == null || v.isNull() ? Double.NaN : v.asDouble(),
            r.get("quality").asText()));
        last = t;
      }
      if (page.size() < PAGE || last.equals(next)) {
        return out;
      }
      next = last;
    }
  }

  /** GET as {@code user}, logged in at the first call (the gateway's web app needs a login). */
  private JsonNode get(String path) throws IOException, InterruptedException {
    if (api == null) {
      api = ApiClient.login(URI.create(base), user, password, TIMEOUT);
    }
    return api.get(path);
  }
}
