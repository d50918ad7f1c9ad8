package org.sangfroid.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sangfroid.gateway.Fixtures.FREEZER;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.INCUBATOR;
import static org.sangfroid.gateway.Fixtures.T0;
import static org.sangfroid.gateway.Fixtures.batch;
import static org.sangfroid.gateway.Fixtures.fault;
import static org.sangfroid.gateway.Fixtures.reading;
import static org.sangfroid.gateway.Fixtures.readingsTopic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.alarm.AlarmBook;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.ingest.Ingest;
import org.sangfroid.gateway.ingest.IngestResult;
import org.sangfroid.gateway.store.GatewayStore;

class WebApiTest {
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final MutableClock clock = new MutableClock(T0);
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean connected = new AtomicBoolean();
  private GatewayStore store;
  private Ingest ingest;
  private WebApi api;

  @BeforeEach
  void start() {
    Fleet fleet = Fixtures.config(dir).fleet();
    store = GatewayStore.open(dir.resolve("gateway.db"));
    ingest = new Ingest(fleet, store, new AlarmBook(meters), meters, clock);
    api = WebApi.start("127.0.0.1", 0, fleet, store, meters, connected::get, clock);
  }

  @AfterEach
  void stop() {
    api.close();
    store.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
    return JSON.readTree(r.body());
  }

  private void receive(double minutes, org.sangfroid.core.wire.Reading... readings) {
    clock.set(T0.plusMillis((long) (minutes * 60_000)));
    assertThat(ingest.accept(readingsTopic(), batch(readings))).isInstanceOf(IngestResult.Stored.class);
  }

  @Test
  void units_beyondLimitWithinDelay_areOutOfRange_thenAlarm() throws Exception {
    receive(1, reading(1, 0, FRIDGE, 4.0), reading(2, 1, FRIDGE, 6.6));
    assertThat(getJson("/api/units").get(0).get("state").asText()).isEqualTo("out_of_range");

    receive(2, reading(3, 2, FRIDGE, 5.0));
    assertThat(getJson("/api/units").get(0).get("state").asText()).as("back in range").isEqualTo("ok");

    receive(9, reading(4, 3, FRIDGE, 7.0), reading(5, 9, FRIDGE, 7.0));
    assertThat(getJson("/api/units").get(0).get("state").asText()).isEqualTo("alarm");
  }

  @Test
  void health_followsTheBrokerConnection() throws Exception {
    assertThat(getJson("/api/health").toString())
        .isEqualTo("{\"status\":\"ok\",\"broker\":\"disconnected\",\"time\":\"2026-11-23T10:00:00Z\"}");

    connected.set(true);

    assertThat(getJson("/api/health").get("broker").asText()).isEqualTo("connected");
  }

  @Test
  void units_showProfileLimitsLastReadingAndState() throws Exception {
    receive(1, reading(1, 0, FRIDGE, 7.0), fault(2, 0.5, FREEZER), reading(3, 1, FRIDGE, 4.5));
    receive(7, reading(4, 1.5, FRIDGE, 7.0), reading(5, 7, FRIDGE, 7.5));

    JsonNode units = getJson("/api/units");

    assertThat(units).hasSize(3);
    JsonNode fridge = units.get(0);
    assertThat(fridge.toString()).isEqualTo("{\"id\":\"rbc-fridge-1\",\"site\":\"casa-01\",\"agent\":\"agent-01\","
        + "\"name\":\"Red cell fridge 1\",\"profile\":\"RBC_STORE_EU\",\"low\":2.0,\"high\":6.0,"
        + "\"lastReading\":{\"t\":\"2026-11-23T10:07:00Z\",\"value\":7.5,\"quality\":\"ok\"},\"state\":\"alarm\"}");
    JsonNode freezer = units.get(1);
    assertThat(freezer.get("low").isNull()).isTrue();
    assertThat(freezer.get("high").asDouble()).isEqualTo(-25.0);
    assertThat(freezer.get("lastReading").toString())
        .isEqualTo("{\"t\":\"2026-11-23T10:00:30Z\",\"value\":null,\"quality\":\"disconnected\"}");
    assertThat(freezer.get("state").asText()).isEqualTo("ok");
    JsonNode incubator = units.get(2);
    assertThat(incubator.get("id").asText()).isEqualTo(INCUBATOR);
    assertThat(incubator.get("lastReading").isNull()).isTrue();
    assertThat(incubator.get("state").asText()).isEqualTo("no_data");
  }

  @Test
  void readings_withoutRange_returnTheLast24HoursOldestFirst() throws Exception {
    receive(24 * 60, reading(1, -1, FRIDGE, 4.0), reading(2, 0, FRIDGE, 4.1),
        reading(3, 24 * 60, FRIDGE, 4.2), reading(4, 24 * 60, FREEZER, -30.0));

    JsonNode rows = getJson("/api/units/" + FRIDGE + "/readings");

    assertThat(rows.toString()).isEqualTo("[{\"seq\":2,\"t\":\"2026-11-23T10:00:00Z\",\"sensor\":\"probe-rbc-fridge-1\","
        + "\"value\":4.1,\"quality\":\"ok\"},{\"seq\":3,\"t\":\"2026-11-24T10:00:00Z\","
        + "\"sensor\":\"probe-rbc-fridge-1\",\"value\":4.2,\"quality\":\"ok\"}]");
  }

  @Test
  void readings_withIsoAndEpochBounds_returnThatRangeBoundsIncluded() throws Exception {
    receive(5, reading(1, 0, FRIDGE, 4.0), reading(2, 1, FRIDGE, 4.1), reading(3, 2, FRIDGE, 4.2),
        reading(4, 3, FRIDGE, 4.3));
    long from = T0.plus(Duration.ofMinutes(1)).toEpochMilli();

    JsonNode rows = getJson("/api/units/" + FRIDGE + "/readings?from=" + from + "&to=2026-11-23T10:02:00Z");

    assertThat(rows).extracting(r -> r.get("seq").asLong()).containsExactly(2L, 3L);
  }

  @Test
  void readings_badTime_is400WithAMessageSayingWhatAndHow() throws Exception {
    HttpResponse<String> r = get("/api/units/" + FRIDGE + "/readings?from=abc");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo(
        "from [abc] must be an ISO-8601 time such as 2026-11-23T10:00:00Z or epoch milliseconds.");
  }

  @Test
  void readings_fromAfterTo_is400() throws Exception {
    HttpResponse<String> r = get("/api/units/" + FRIDGE + "/readings?from=2026-11-24T00:00:00Z&to=0");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("from [2026-11-24T00:00:00Z] must not be after to (1970-01-01T00:00:00Z).");
  }

  @Test
  void readings_unknownUnit_is404() throws Exception {
    HttpResponse<String> r = get("/api/units/fridge-9/readings");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("unit [fridge-9] is not configured.");
  }

  @Test
  void alarms_activeByDefaultAllOnRequestAndOtherStatesRefused() throws Exception {
    receive(6, reading(1, 0, FRIDGE, 7.0), reading(2, 5, FRIDGE, 7.4));
    receive(7, reading(3, 6, FRIDGE, 5.0));
    receive(13, reading(4, 7, FRIDGE, 1.0), reading(5, 12, FRIDGE, 1.2));

    JsonNode active = getJson("/api/alarms");
    JsonNode all = getJson("/api/alarms?state=all");
    HttpResponse<String> bad = get("/api/alarms?state=closed");

    // The low excursion also crossed the warning band at +2.5 °C: newest first.
    assertThat(active).extracting(a -> a.get("kind").asText()).containsExactly("LOW_WARNING", "LOW_TEMPERATURE");
    assertThat(all).extracting(a -> a.get("kind").asText())
        .containsExactly("LOW_WARNING", "LOW_TEMPERATURE", "HIGH_WARNING", "HIGH_TEMPERATURE");
    assertThat(all.get(3).toString()).isEqualTo("{\"id\":1,\"site\":\"casa-01\",\"unit\":\"rbc-fridge-1\","
        + "\"kind\":\"HIGH_TEMPERATURE\",\"state\":\"CLEARED\",\"startedAt\":\"2026-11-23T10:00:00Z\","
        + "\"raisedAt\":\"2026-11-23T10:05:00Z\",\"clearedAt\":\"2026-11-23T10:06:00Z\",\"triggerValue\":7.4,"
        + "\"limit\":6.0,\"peak\":7.4,\"late\":false}");
    assertThat(all.get(0).get("clearedAt").isNull()).isTrue();
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).get("error").asText()).isEqualTo("state [closed] must be active or all.");
  }

  @Test
  void metrics_arePrometheusTextWithIngestCounters() throws Exception {
    ingest.accept(readingsTopic(), "nonsense".getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> r = get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(r.body()).contains("sangfroid_ingest_rejected_total{reason=\"malformed\"} 1.0")
        .contains("sangfroid_ingest_rejected_total{reason=\"unknown_unit\"} 0.0");
  }
}
