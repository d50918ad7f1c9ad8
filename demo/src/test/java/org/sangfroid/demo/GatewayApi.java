package org.sangfroid.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.sangfroid.gateway.web.ApiClient;

/** The gateway's JSON API as the end-to-end tests read it. */
final class GatewayApi {
  private final URI base;
  private final WebLogin login;
  private ApiClient api;

  /** The API of the gateway on {@code port}, as {@code login} (logged in at the first call). */
  GatewayApi(int port, WebLogin login) {
    this.base = URI.create("http://127.0.0.1:" + port);
    this.login = login;
  }

  /** A stored reading as the API returns it. */
  record StoredReading(long seq, Instant time, String sensor, double value, String quality) {}

  /** An alarm as the API returns it. */
  record Alarm(String unit, String kind, String state, Instant startedAt, Instant raisedAt) {}

  synchronized JsonNode get(String path) {
    try {
      if (api == null) {
        api = ApiClient.login(base, login.name(), login.password(), Duration.ofSeconds(10));
      }
      return api.get(path);
    } catch (IOException e) {
      throw new IllegalStateException(path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A page that needs no login (the Prometheus /metrics), as text. */
  String text(String path) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new IllegalStateException(path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every stored reading of a unit, whatever its measurement time. */
  List<StoredReading> readings(String unit) {
    List<StoredReading> out = new ArrayList<>();
    for (JsonNode r : get("/api/units/" + unit + "/readings?from=0&to=" + Instant.parse("2100-01-01T00:00:00Z").toEpochMilli())) {
      out.add(new StoredReading(r.get("seq").asLong(), Instant.parse(r.get("t").asText()), r.get("sensor").asText(),
          r.path("value").isNumber() ? r.get("value").asDouble() : Double.NaN, r.get("quality").asText()));
    }
    return out;
  }

  /** The sequence numbers of every stored reading of these units. */
  List<Long> seqs(List<String> units) {
    List<Long> seqs = new ArrayList<>();
    units.forEach(u -> readings(u).forEach(r -> seqs.add(r.seq())));
    seqs.sort(Long::compare);
    return seqs;
  }

  List<Alarm> alarms(String state) {
    List<Alarm> out = new ArrayList<>();
    for (JsonNode a : get("/api/alarms?state=" + state)) {
      out.add(new Alarm(a.get("unit").asText(), a.get("kind").asText(), a.get("state").asText(),
          Instant.parse(a.get("startedAt").asText()), Instant.parse(a.get("raisedAt").asText())));
    }
    return out;
  }

  JsonNode unit(String id) {
    for (JsonNode u : get("/api/units")) {
      if (u.get("id").asText().equals(id)) {
        return u;
      }
    }
    throw new IllegalStateException("unit " + id + " is not in /api/units");
  }
}
