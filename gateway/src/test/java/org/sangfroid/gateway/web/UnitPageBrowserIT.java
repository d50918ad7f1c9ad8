package org.sangfroid.gateway.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.T0;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.wire.AgentEvent;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.WebClient;
import org.sangfroid.gateway.alarm.AlarmBook;
import org.sangfroid.gateway.config.GatewayConfig.Http;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Role;

/**
 * Issue 5: the unit page in real headless Chromium (Debian's package, driven by Playwright):
 * three days of readings every two minutes with a 40-minute excursion above 6 °C and a door
 * opening; the chart is drawn with its limit bands, the excursion shaded and the door marked;
 * the 1-year button fetches a coarser series from the server. One browser for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnitPageBrowserIT {
  private static final long MINUTE = 60_000;
  /** The page's "now": three days after T0. */
  private static final long NOW = T0.toEpochMilli() + 3 * 24 * 60 * MINUTE;
  private static final long EXCURSION = NOW - 5 * 60 * MINUTE;
  private static final long DOOR = NOW - 3 * 60 * MINUTE;

  @TempDir static Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private GatewayStore store;
  private WebApi api;
  private Playwright playwright;
  private Browser browser;
  private Page page;

  @BeforeAll
  void start() {
    BrowserIT.requireChromium();
    store = GatewayStore.open(dir.resolve("gateway.db"));
    List<Reading> rs = new ArrayList<>();
    long seq = 0;
    for (long t = T0.toEpochMilli(); t <= NOW; t += 2 * MINUTE) {
      boolean out = t >= EXCURSION && t < EXCURSION + 40 * MINUTE;
      rs.add(new Reading(++seq, t, FRIDGE, "p1", out ? 7.5 : 4.0 + Math.sin(t / 3_600_000.0) * 0.6, Quality.OK, true));
    }
    store.write(tx -> {
      rs.forEach(r -> tx.insertReading(Fixtures.SITE, Fixtures.AGENT, r, r.time()));
      long id = tx.insertAlarm(Fixtures.SITE, FRIDGE, AlarmKind.HIGH_TEMPERATURE, EXCURSION, EXCURSION + 5 * MINUTE,
          7.5, 6.0, 7.5, false).id();
      tx.clearAlarm(id, EXCURSION + 40 * MINUTE, 7.5);
      tx.insertEvent(Fixtures.SITE, Fixtures.AGENT, new AgentEvent(1, DOOR, FRIDGE, AgentEvent.Type.DOOR_OPEN, true, "",
          true), DOOR);
      tx.insertEvent(Fixtures.SITE, Fixtures.AGENT, new AgentEvent(2, DOOR + 4 * MINUTE, FRIDGE,
          AgentEvent.Type.DOOR_OPEN, false, "", true), DOOR + 4 * MINUTE);
      return null;
    });
    WebClient.addUser(store, "ana", Role.QM, Language.EN);
    clock.set(java.time.Instant.ofEpochMilli(NOW));
    api = WebApi.start(new Http("127.0.0.1", 0, false, Duration.ofMinutes(30), Duration.ofHours(12),
        ZoneId.of("Europe/Paris")), Fixtures.config(dir).fleet(), store, meters, () -> true, clock, List::of,
        new AlarmBook(meters, clock));
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = BrowserIT.launch(playwright);
    BrowserContext context = browser.newContext(new Browser.NewContextOptions().setLocale("en-GB")
        .setViewportSize(1200, 900));
    context.setDefaultTimeout(20_000);
    PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
    page = context.newPage();
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (api != null) {
      api.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void unitChart_drawsReadingsLimitsExcursionAndDoor_andTheYearIsACoarserSeries() {
    String base = "http://127.0.0.1:" + api.port();
    page.navigate(base + "/units/" + FRIDGE);
    page.fill("#name", "ana");
    page.fill("#password", WebClient.PASSWORD);
    page.click("#login");

    assertThat(page.locator("h1")).hasText("Red cell fridge 1");
    assertThat(page.locator("#chart")).hasAttribute("data-drawn", "true");
    assertThat(page.locator("#chart")).hasAttribute("data-raw", "true"); // 24 h: 720 readings
    assertThat(page.locator("#chart")).hasAttribute("data-bands", "range warning-high warning-low");
    assertThat(page.locator("#chart")).hasAttribute("data-excursions-drawn", "1");
    assertThat(page.locator("#chart")).hasAttribute("data-events-drawn", "1");
    Number painted = (Number) page.evaluate("() => { const c = document.querySelector('#chart canvas');"
        + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
        + " for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) n++; } return n; }");
    assertThat(painted.intValue()).as("pixels painted on the chart's canvas").isGreaterThan(10_000);
    assertThat(((Number) page.evaluate("() => window.sangfroidChart.points.filter(p => p.max === 7.5).length"))
        .intValue()).isEqualTo(20);
    assertThat(page.evaluate("() => window.sangfroidChart.excursions[0].kind")).isEqualTo("HIGH_TEMPERATURE");
    assertThat(page.locator("#summary-max")).hasText("7.5\u00a0°C");
    assertThat(page.locator("#chart")).hasAttribute("data-summary-state", "done");
    assertThat(page.locator("#unit-alarms a")).hasAttribute("href", "/alarms/1");
    Screenshots.save(page, "unit");

    page.click("#range-8760h");

    assertThat(page.locator("#chart")).hasAttribute("data-loads", "2");
    assertThat(page.locator("#chart")).hasAttribute("data-raw", "false");
    assertThat(page.locator("#range-8760h")).hasAttribute("aria-pressed", "true");
    long bucket = Long.parseLong(page.locator("#chart").getAttribute("data-bucket-millis"));
    assertThat(bucket).isEqualTo(365L * 24 * 60 * MINUTE / 1000 + 1);
    assertThat(((Number) page.evaluate("() => window.sangfroidChart.points.length")).intValue())
        .as("three days of 8.76-hour buckets").isBetween(8, 10);
    assertThat(((Number) page.evaluate("() => Math.max(...window.sangfroidChart.points.map(p => p.max))"))
        .doubleValue()).as("the excursion's peak survives the year view").isEqualTo(7.5);
    assertThat(page.locator("#chart")).hasAttribute("data-excursions-drawn", "1");
  }
}
