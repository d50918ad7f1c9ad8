package org.sangfroid.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.T0;
import static org.sangfroid.gateway.Fixtures.batch;
import static org.sangfroid.gateway.Fixtures.reading;
import static org.sangfroid.gateway.Fixtures.readingsTopic;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.excursion.ExcursionEngine;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.WebClient;
import org.sangfroid.gateway.alarm.AlarmBook;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Http;
import org.sangfroid.gateway.ingest.Ingest;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Role;

/** Issue 5, the unit page and its chart API, over real HTTP against a real SQLite store. */
class UnitPageTest {
  private static final long MINUTE = 60_000;
  private static final long START = T0.toEpochMilli();

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private GatewayStore store;
  private Ingest ingest;
  private WebApi api;
  private WebClient vera;
  private long seq;

  @BeforeEach
  void start() {
    Fleet fleet = Fixtures.config(dir).fleet();
    store = GatewayStore.open(dir.resolve("gateway.db"));
    AlarmBook book = new AlarmBook(meters, clock);
    ingest = new Ingest(fleet, store, book, meters, clock);
    api = WebApi.start(new Http("127.0.0.1", 0, false, Duration.ofMinutes(30), Duration.ofHours(12), ZoneOffset.UTC),
        fleet, store, meters, () -> true, clock, List::of, book);
    WebClient.addUser(store, "vera", Role.VIEWER, Language.EN);
    vera = WebClient.login(api.port(), "vera");
  }

  @AfterEach
  void stop() {
    api.close();
    store.close();
  }

  /** Fridge readings straight into the store, one a minute from {@code fromMinute}, at {@code celsius}. */
  private void fridge(int fromMinute, int count, double celsius) {
    List<Reading> rs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rs.add(new Reading(++seq, START + (fromMinute + i) * MINUTE, FRIDGE, "p1", celsius, Quality.OK, true));
    }
    store.write(tx -> {
      rs.forEach(r -> tx.insertReading(Fixtures.SITE, Fixtures.AGENT, r, r.time()));
      return null;
    });
  }

  private JsonNode chart(long from, long to, String more) {
    HttpResponse<String> r = vera.get("/api/units/" + FRIDGE + "/chart?from=" + from + "&to=" + to + more);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return WebClient.json(r);
  }

  private static List<JsonNode> gaps(JsonNode chart) {
    List<JsonNode> out = new ArrayList<>();
    chart.get("points").forEach(p -> {
      if (p.get("count").asLong() == 0) {
        out.add(p);
      }
    });
    return out;
  }

  @Test
  void chart_fewerReadingsThanPoints_areTheReadings_andAStopLongerThanMonitoringLostIsAGap() {
    fridge(0, 10, 4.0);
    fridge(9 + 11, 5, 5.0); // 11 min without a reading: more than RBC_STORE_EU's 10 min
    fridge(9 + 11 + 4 + 10, 5, 4.5); // exactly 10 min: not a gap

    JsonNode c = chart(START, START + 3_600_000, "");

    assertThat(c.get("raw").asBoolean()).isTrue();
    assertThat(c.get("bucketMillis").asLong()).isZero();
    assertThat(c.get("points")).hasSize(21);
    assertThat(gaps(c)).singleElement().satisfies(g -> {
      assertThat(g.get("mean").isNull()).isTrue();
      assertThat(g.get("t").asText()).isEqualTo("2026-11-23T10:14:30Z"); // between 10:09 and 10:20
    });
    JsonNode first = c.get("points").get(0);
    assertThat(first.get("t").asText()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(first.get("min").asDouble()).isEqualTo(4.0);
    assertThat(first.get("max").asDouble()).isEqualTo(4.0);
  }

  @Test
  void chart_moreReadingsThanPoints_areBuckets_thePeakKept_andAHoleIsAGap() {
    fridge(0, 1_000, 4.0);
    fridge(1_000, 1, 11.0); // one minute at 11 °C
    fridge(1_001, 999, 4.0);
    fridge(2_000 + 180, 820, 4.0); // three hours without readings, then again
    long to = START + 3_000 * MINUTE;

    JsonNode c = chart(START, to, "&points=100");

    assertThat(c.get("raw").asBoolean()).isFalse();
    long width = c.get("bucketMillis").asLong();
    assertThat(width).isEqualTo(3_000 * MINUTE / 100 + 1);
    List<JsonNode> points = new ArrayList<>();
    c.get("points").forEach(points::add);
    assertThat(points).filteredOn(p -> p.get("count").asLong() > 0).hasSizeLessThanOrEqualTo(100)
        .allSatisfy(p -> assertThat(p.get("min").asDouble()).isEqualTo(4.0));
    assertThat(points).filteredOn(p -> p.get("max").asDouble() == 11.0).singleElement()
        .satisfies(p -> assertThat(p.get("mean").asDouble()).isLessThan(4.3));
    assertThat(gaps(c)).as("one gap, where the three hours were").singleElement()
        .satisfies(g -> assertThat(java.time.Instant.parse(g.get("t").asText()).toEpochMilli())
            .isBetween(START + 2_000 * MINUTE - width, START + 2_000 * MINUTE + width));
    assertThat(points.stream().mapToLong(p -> p.get("count").asLong()).sum()).isEqualTo(2_820);
  }

  @Test
  void chart_badInput_isRefusedSayingWhat() {
    HttpResponse<String> one = vera.get("/api/units/" + FRIDGE + "/chart?points=1");
    HttpResponse<String> backwards = vera.get("/api/units/" + FRIDGE + "/chart?from=" + START + "&to=" + (START - 1));
    HttpResponse<String> unknown = vera.get("/api/units/nope/chart");

    assertThat(one.statusCode()).isEqualTo(400);
    assertThat(WebClient.json(one).get("error").asText()).isEqualTo("points [1] must be a whole number of at least 2.");
    assertThat(backwards.statusCode()).isEqualTo(400);
    assertThat(WebClient.json(backwards).get("error").asText()).startsWith("from [" + START + "] must be before to");
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  @Test
  void chart_listsTheUnitsAlarmsOverlappingTheRange_openOnesWithoutAnEnd() {
    clock.set(T0.plus(Duration.ofMinutes(6)));
    ingest.accept(readingsTopic(), batch(reading(1, 0, FRIDGE, 7.0), reading(2, 5, FRIDGE, 7.4)));

    JsonNode c = chart(START - 3_600_000, START + 3_600_000, "");
    JsonNode before = chart(START - 7_200_000, START - 3_600_000, "");

    assertThat(c.get("excursions")).singleElement().satisfies(x -> {
      assertThat(x.get("kind").asText()).isEqualTo("HIGH_TEMPERATURE");
      assertThat(x.get("startedAt").asText()).isEqualTo("2026-11-23T10:00:00Z");
      assertThat(x.get("clearedAt").isNull()).isTrue();
    });
    assertThat(before.get("excursions")).isEmpty();
  }

  @Test
  void unitPage_showsTheUnitItsLimitsCalibrationAndRecentAlarms_andTheDashboardLinksToIt() {
    clock.set(T0.plus(Duration.ofMinutes(6)));
    ingest.accept(readingsTopic(), batch(reading(1, 0, FRIDGE, 7.0), reading(2, 5, FRIDGE, 7.4)));
    long due = START - 86_400_000L;
    store.write(tx -> {
      UnitState s = tx.unitState(FRIDGE).orElse(UnitState.start(START));
      tx.saveUnitState(FRIDGE, ExcursionEngine.withCalibrationDue(s, due), START);
      return null;
    });

    HttpResponse<String> page = vera.get("/units/" + FRIDGE);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<h1>Red cell fridge 1</h1>")
        .contains("2.0\u00a0°C to 6.0\u00a0°C")
        .contains("data-chart=\"/api/units/" + FRIDGE + "/chart\"")
        .contains("data-low=\"2.0\"").contains("data-high=\"6.0\"")
        .contains("data-warn-low=\"2.5\"").contains("data-warn-high=\"5.5\"")
        .contains("data-now=\"" + clock.millis() + "\"")
        .contains("id=\"range-8760h\"").contains("1 year")
        .contains("class=\"calibration-overdue bad\"").contains("Calibration overdue since")
        .contains("<a href=\"/alarms/1\">#1</a>")
        .contains("href=\"/units/" + FRIDGE + "/reports\"")
        .contains("<script src=\"/static/unit.js\" defer></script>")
        .doesNotContain("<script>");
    assertThat(vera.get("/").body()).contains("<a href=\"/units/" + FRIDGE + "\">Red cell fridge 1</a>");
    assertThat(vera.get("/units/nope").statusCode()).isEqualTo(404);
    assertThat(WebClient.anonymous(api.port()).get("/static/vendor/uplot/uPlot.iife.min.js").body())
        .contains("uPlot");
  }

  @Test
  void unitPage_withoutCalibrationDates_saysSo_inFrench() {
    WebClient.addUser(store, "ana", Role.QM, Language.FR);

    String page = WebClient.login(api.port(), "ana").get("/units/" + FRIDGE).body();

    assertThat(page).contains("class=\"calibration-unknown\"").contains("Inconnu")
        .contains("de 2,0\u00a0°C à 6,0\u00a0°C").contains("1 an");
  }
}
