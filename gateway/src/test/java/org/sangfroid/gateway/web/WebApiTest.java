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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.alarm.AlarmBook;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Http;
import org.sangfroid.gateway.ingest.Ingest;
import org.sangfroid.gateway.ingest.IngestResult;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Role;
import org.sangfroid.gateway.WebClient;

class WebApiTest {
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final MutableClock clock = new MutableClock(T0);
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean connected = new AtomicBoolean();
  private GatewayStore store;
  private Ingest ingest;
  private WebApi api;
  /** A quality manager, logged in. */
  private WebClient ana;

  @BeforeEach
  void start() {
    Fleet fleet = Fixtures.config(dir).fleet();
    store = GatewayStore.open(dir.resolve("gateway.db"));
    ingest = new Ingest(fleet, store, new AlarmBook(meters, clock), meters, clock);
    // These tests move the clock by days: logins that last as long.
    Http http = new Http("127.0.0.1", 0, false, Duration.ofDays(365), Duration.ofDays(365), ZoneOffset.UTC);
    api = WebApi.start(http, fleet, store, meters, connected::get, clock, List::of, new AlarmBook(meters, clock));
    if (store.users().isEmpty()) {
      WebClient.addUser(store, "ana", Role.QM, Language.EN);
      WebClient.addUser(store, "bob", Role.QM, Language.EN);
      WebClient.addUser(store, "k.amrani", Role.TECHNICIAN, Language.FR);
    }
    ana = WebClient.login(api.port(), "ana");
  }

  @AfterEach
  void stop() {
    api.close();
    store.close();
  }

  private HttpResponse<String> get(String path) {
    return ana.get(path);
  }

  /** As ana. */
  private HttpResponse<String> post(String path, String body) {
    return ana.post(path, body);
  }

  private static String error(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).get("error").asText();
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
    post("/api/alarms/1/acknowledge", "{\"comment\":\"door\"}");
    post("/api/alarms/1/close", "{\"rootCause\":\"door\",\"disposition\":\"released\"}");

    JsonNode active = getJson("/api/alarms");
    JsonNode all = getJson("/api/alarms?state=all");
    HttpResponse<String> bad = get("/api/alarms?state=closed");

    // Active: not closed yet, cleared or not. The low excursion also crossed the warning band at
    // +2.5 °C: newest first.
    assertThat(active).extracting(a -> a.get("kind").asText() + " " + a.get("state").asText())
        .containsExactly("LOW_WARNING ACTIVE", "LOW_TEMPERATURE ACTIVE", "HIGH_WARNING CLEARED");
    assertThat(all).extracting(a -> a.get("kind").asText())
        .containsExactly("LOW_WARNING", "LOW_TEMPERATURE", "HIGH_WARNING", "HIGH_TEMPERATURE");
    assertThat(all.get(3).toString()).isEqualTo("{\"id\":1,\"site\":\"casa-01\",\"unit\":\"rbc-fridge-1\","
        + "\"kind\":\"HIGH_TEMPERATURE\",\"state\":\"CLOSED\",\"startedAt\":\"2026-11-23T10:00:00Z\","
        + "\"raisedAt\":\"2026-11-23T10:05:00Z\",\"clearedAt\":\"2026-11-23T10:06:00Z\",\"triggerValue\":7.4,"
        + "\"limit\":6.0,\"peak\":7.4,\"late\":false,"
        + "\"acknowledged\":{\"user\":\"ana\",\"at\":\"2026-11-23T10:13:00Z\",\"comment\":\"door\"},"
        + "\"closed\":{\"user\":\"ana\",\"at\":\"2026-11-23T10:13:00Z\",\"rootCause\":\"door\","
        + "\"disposition\":\"released\"}}");
    assertThat(all.get(0).get("clearedAt").isNull()).isTrue();
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).get("error").asText()).isEqualTo("state [closed] must be active or all.");
  }

  /** A fridge HIGH_TEMPERATURE alarm (id 1, with its HIGH_WARNING id 2), cleared when {@code cleared}. */
  private void fridgeAlarm(boolean cleared) {
    receive(6, reading(1, 0, FRIDGE, 7.0), reading(2, 5, FRIDGE, 7.4));
    if (cleared) {
      receive(10, reading(3, 9, FRIDGE, 4.0));
    }
  }

  @Test
  void acknowledgeThenClose_clearedAlarm_answersTheAlarmWithItsHistory() throws Exception {
    fridgeAlarm(true);
    clock.set(T0.plus(Duration.ofMinutes(20)));

    HttpResponse<String> ack = post("/api/alarms/1/acknowledge",
        "{\"comment\":\"Door left open after a delivery\"}");
    clock.set(T0.plus(Duration.ofMinutes(30)));
    HttpResponse<String> close = post("/api/alarms/1/close",
        "{\"rootCause\":\"Door not latched\",\"disposition\":\"quarantined\"}");

    assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
    assertThat(JSON.readTree(ack.body()).get("state").asText()).isEqualTo("CLEARED");
    assertThat(JSON.readTree(ack.body()).get("acknowledged").get("comment").asText())
        .isEqualTo("Door left open after a delivery");
    assertThat(close.statusCode()).as(close.body()).isEqualTo(200);
    JsonNode alarm = getJson("/api/alarms/1");
    assertThat(alarm.get("state").asText()).isEqualTo("CLOSED");
    assertThat(alarm.get("closed").toString()).isEqualTo("{\"user\":\"ana\",\"at\":\"2026-11-23T10:30:00Z\","
        + "\"rootCause\":\"Door not latched\",\"disposition\":\"quarantined\"}");
    assertThat(alarm.get("history").toString()).isEqualTo("["
        + "{\"at\":\"2026-11-23T10:05:00Z\",\"event\":\"raised\",\"user\":\"system\","
        + "\"comment\":\"started 2026-11-23T10:00:00Z, 7.4 °C, limit 6.0 °C\"},"
        + "{\"at\":\"2026-11-23T10:09:00Z\",\"event\":\"cleared\",\"user\":\"system\",\"comment\":\"peak 7.4 °C\"},"
        + "{\"at\":\"2026-11-23T10:20:00Z\",\"event\":\"acknowledged\",\"user\":\"ana\","
        + "\"comment\":\"Door left open after a delivery\"},"
        + "{\"at\":\"2026-11-23T10:30:00Z\",\"event\":\"closed\",\"user\":\"ana\","
        + "\"comment\":\"root cause: Door not latched; products quarantined\"}]");
    assertThat(getJson("/api/alarms")).extracting(a -> a.get("id").asLong()).doesNotContain(1L);
  }

  @Test
  void acknowledge_activeAlarm_isAcknowledged() throws Exception {
    fridgeAlarm(false);

    HttpResponse<String> r = post("/api/alarms/1/acknowledge", "{\"comment\":\"on my way\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(getJson("/api/alarms/1").get("state").asText()).isEqualTo("ACKNOWLEDGED");
  }

  @ParameterizedTest(name = "{0} {1}: {2} {3}")
  @CsvSource(delimiter = '|', textBlock = """
      acknowledge | {"user":"bob","comment":"x"}                           | 400 | user [bob] must be left out, found actions are recorded under the logged-in user, ana.
      acknowledge | {"user":"ana","comment":"  "}                          | 400 | comment [  ] must not be blank.
      acknowledge | {"user":"ana"}                                         | 400 | comment [] must not be blank.
      acknowledge | [1]                                                    | 400 | The request body must be a JSON object such as {"comment": "..."}.
      acknowledge | not json                                               | 400 | The request body must be a JSON object such as {"comment": "..."}.
      close       | {"user":"ana","rootCause":"","disposition":"released"} | 400 | rootCause [] must not be blank.
      close       | {"user":"ana","rootCause":"door","disposition":"sold"} | 400 | disposition [sold] must be released, quarantined or discarded.
      close       | {"user":"ana","rootCause":"door","disposition":3}      | 400 | disposition [3] must be released, quarantined or discarded.
      close       | {"user":"ana","rootCause":"door","disposition":"released"} | 409 | alarm 1 is not acknowledged: acknowledge it (with a comment) before closing it.
      """)
  void acknowledgeOrClose_refused_answersStatusWithExactMessage(String action, String body, int status,
      String message) throws Exception {
    fridgeAlarm(true);

    HttpResponse<String> r = post("/api/alarms/1/" + action, body);

    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(error(r)).isEqualTo(message);
  }

  @Test
  void close_conditionStillOn_is409() throws Exception {
    fridgeAlarm(false);
    post("/api/alarms/1/acknowledge", "{\"comment\":\"on my way\"}");

    HttpResponse<String> r = post("/api/alarms/1/close",
        "{\"rootCause\":\"door\",\"disposition\":\"released\"}");

    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(error(r)).isEqualTo("alarm 1 is still active: it can be closed once the condition is over.");
  }

  @Test
  void acknowledge_twice_is409SayingWhoAndWhen() throws Exception {
    fridgeAlarm(false);
    post("/api/alarms/1/acknowledge", "{\"comment\":\"on my way\"}");

    HttpResponse<String> r = WebClient.login(api.port(), "bob").post("/api/alarms/1/acknowledge",
        "{\"comment\":\"me too\"}");

    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(error(r)).isEqualTo(
        "alarm 1 was already acknowledged by ana at 2026-11-23T10:06:00Z: it is acknowledged once.");
  }

  @Test
  void alarm_unknownOrNotANumber_is404Or400() throws Exception {
    HttpResponse<String> missing = get("/api/alarms/42");
    HttpResponse<String> ack = post("/api/alarms/42/acknowledge", "{\"comment\":\"x\"}");
    HttpResponse<String> close = post("/api/alarms/42/close",
        "{\"rootCause\":\"x\",\"disposition\":\"released\"}");
    HttpResponse<String> word = get("/api/alarms/abc");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(error(missing)).isEqualTo("alarm 42 does not exist.");
    assertThat(ack.statusCode()).isEqualTo(404);
    assertThat(error(ack)).isEqualTo("alarm 42 does not exist.");
    assertThat(close.statusCode()).isEqualTo(404);
    assertThat(word.statusCode()).isEqualTo(400);
    assertThat(error(word)).isEqualTo("id [abc] must be a whole number.");
  }

  @Test
  void audit_listHeadAndVerify_showTheChainOfAlarmTransitions() throws Exception {
    fridgeAlarm(true);
    post("/api/alarms/1/acknowledge", "{\"comment\":\"door\"}");

    // seq 1 to 3: the users added for these tests
    JsonNode entries = getJson("/api/audit?after=4&limit=2");
    JsonNode head = getJson("/api/audit/head");
    JsonNode verify = getJson("/api/audit/verify");

    // raised (alarm and warning), cleared (both), acknowledged
    assertThat(entries).extracting(e -> e.get("seq").asLong() + " " + e.get("action").asText())
        .containsExactly("5 alarm.raised", "6 alarm.cleared");
    assertThat(entries.get(0).get("details").get("kind").asText()).isEqualTo("HIGH_WARNING");
    assertThat(entries.get(1).get("prevHash").asText()).isEqualTo(entries.get(0).get("hash").asText());
    assertThat(head.get("seq").asLong()).isEqualTo(8);
    assertThat(verify.get("ok").asBoolean()).isTrue();
    assertThat(verify.get("entries").asLong()).isEqualTo(8);
    assertThat(verify.get("head")).isEqualTo(head);
    assertThat(verify.get("problems")).isEmpty();
    assertThat(get("/api/audit?limit=0").statusCode()).isEqualTo(400);
    assertThat(error(get("/api/audit?after=x"))).isEqualTo("after [x] must be a whole number of at least 0.");
  }

  @Test
  void auditVerify_editedRow_reportsTheProblem() throws Exception {
    fridgeAlarm(false);
    stop(); // a running gateway holds the database's write lock
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("gateway.db"))) {
      c.createStatement().executeUpdate("UPDATE audit_trail SET actor = 'bob' WHERE seq = 1");
    }
    start();

    JsonNode verify = getJson("/api/audit/verify");

    assertThat(verify.get("ok").asBoolean()).isFalse();
    assertThat(verify.get("problems").toString()).isEqualTo("[{\"seq\":1,\"kind\":\"altered\","
        + "\"message\":\"entry 1: altered (its hash does not match its content)\"}]");
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

  // ---- issue 4: unit summary for a period, restock ----

  @Test
  void summary_givesMinMaxMeanMktTimeOutOfRangeAndExcursions() throws Exception {
    receive(4, reading(1, 0, FRIDGE, 4.0), reading(2, 1, FRIDGE, 4.0), reading(3, 2, FRIDGE, 7.0),
        reading(4, 3, FRIDGE, 4.0));

    JsonNode s = getJson("/api/units/" + FRIDGE + "/summary?from=2026-11-23T10:00:00Z&to=2026-11-23T10:04:00Z");

    assertThat(s.get("profile").asText()).isEqualTo("RBC_STORE_EU");
    assertThat(s.get("readings").asInt()).isEqualTo(4);
    assertThat(s.get("min").asDouble()).isEqualTo(4.0);
    assertThat(s.get("max").asDouble()).isEqualTo(7.0);
    assertThat(s.get("mean").asDouble()).isEqualTo(4.75);
    assertThat(s.get("meanKinetic").asDouble()).as("MKT weighs the warm minute more than the mean does")
        .isGreaterThan(4.75).isLessThan(7.0);
    assertThat(s.get("coveredSeconds").asLong()).isEqualTo(240);
    assertThat(s.get("aboveSeconds").asLong()).isEqualTo(60);
    assertThat(s.get("outOfRangeSeconds").asLong()).isEqualTo(60);
    assertThat(s.get("excursions").asInt()).isEqualTo(1);
    assertThat(s.get("alarms")).as("a minute above is within the alarm delay").isEmpty();
  }

  @Test
  void summary_ofAPeriodWithoutReadings_saysNothingIsCovered() throws Exception {
    JsonNode s = getJson("/api/units/" + FRIDGE + "/summary?from=2026-11-23T10:00:00Z&to=2026-11-23T11:00:00Z");

    assertThat(s.get("coveredSeconds").asLong()).isZero();
    assertThat(s.get("uncoveredSeconds").asLong()).isEqualTo(3600);
    assertThat(s.get("mean").isNull()).isTrue();
  }

  @Test
  void summary_badPeriod_isRefusedWithFieldAndValue() throws Exception {
    HttpResponse<String> r = get("/api/units/" + FRIDGE + "/summary?from=2026-11-23T11:00:00Z&to=2026-11-23T10:00:00Z");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r)).startsWith("from [2026-11-23T11:00:00Z] must be before to");
    assertThat(get("/api/units/nope/summary").statusCode()).isEqualTo(404);
  }

  @Test
  void restock_isAuditedWithTheLoggedInUserAndComment_andNeedsTheComment() throws Exception {
    WebClient technician = WebClient.login(api.port(), "k.amrani");
    HttpResponse<String> bad = technician.post("/api/units/" + FRIDGE + "/restock", "{}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(error(bad)).contains("comment [] must not be blank");

    HttpResponse<String> ok = technician.post("/api/units/" + FRIDGE + "/restock",
        "{\"comment\":\"Emptied, cleaned, refilled with lot 2611\"}");

    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(JSON.readTree(ok.body()).get("clearedAlarms")).isEmpty();
    JsonNode last = getJson("/api/audit").get(getJson("/api/audit").size() - 1);
    assertThat(last.get("action").asText()).isEqualTo("unit.restocked");
    assertThat(last.get("actor").asText()).isEqualTo("k.amrani");
    assertThat(last.get("subject").asText()).isEqualTo("unit/" + FRIDGE);
    assertThat(last.get("details").get("comment").asText()).isEqualTo("Emptied, cleaned, refilled with lot 2611");
    assertThat(last.get("details").get("authenticated").asBoolean()).isTrue();
    assertThat(technician.post("/api/units/nope/restock", "{\"comment\":\"b\"}").statusCode()).isEqualTo(404);
  }
}
