package org.sangfroid.gateway.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.sangfroid.gateway.Fixtures.FREEZER;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.T0;
import static org.sangfroid.gateway.Fixtures.batch;
import static org.sangfroid.gateway.Fixtures.reading;
import static org.sangfroid.gateway.Fixtures.readingsTopic;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.wire.AgentStatus;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.GatewayApp;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.WebClient;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.user.Role;

/**
 * Issue 5, acceptance 1: a quality manager in real headless Chromium (Debian's package, driven
 * by Playwright) against the whole gateway, readings arriving over its embedded MQTT broker. One
 * browser for the class; the tests run in order, as one visit: log in, watch the fridge go into
 * alarm without reloading, acknowledge with a comment, close with a disposition, switch language.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserIT {
  /** Debian's chromium; Playwright's own browser download is never used. */
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final double WAIT_MS = 20_000;

  /** A second site, so the dashboard shows a fleet rather than one lonely fridge. */
  static final String SECOND_SITE = """
        - id: rabat-02
          name: Rabat hospital blood bank
          agents:
            - id: agent-01
              units:
                - id: rabat-rbc-1
                  name: Red cell fridge A
                  profile: RBC_STORE_EU
                - id: rabat-plt-1
                  name: Platelet incubator
                  profile: PLT_STORE
                - id: rabat-ffp-1
                  name: Plasma freezer A
                  profile: FFP_CRYO_EU
      """;

  @TempDir static Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private GatewayApp app;
  private MqttClient agent;
  /** Publishes for the fleet's other agents, so the dashboard in the screenshots is a real one. */
  private MqttClient others;
  private Playwright playwright;
  private Browser browser;
  private Page page;
  private String base;
  private long alarmId;

  /** Skipped, naming the package, without chromium on a developer's machine; failed on CI, which installs it. */
  static void requireChromium() {
    if (!Files.isExecutable(CHROMIUM)) {
      String why = "Debian's chromium is not installed (apt-get install chromium): the browser tests need it";
      if ("true".equals(System.getenv("CI"))) {
        fail(why + " (CI installs it in .ci/run, so these tests must not be skipped there)");
      }
      Assumptions.assumeTrue(false, why);
    }
  }

  static Browser launch(Playwright playwright) {
    return playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync")));
  }

  @BeforeAll
  void start() throws Exception {
    requireChromium();
    GatewayConfig config = GatewayConfig.parse("gateway.yaml", Fixtures.YAML + SECOND_SITE, dir);
    WebClient.addUser(config, "ana", Role.QM);
    app = GatewayApp.start(config, clock);
    base = "http://127.0.0.1:" + app.httpPort();
    agent = new MqttClient(app.brokerUrl(), "agent-01", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    agent.connect(o);
    others = new MqttClient(app.brokerUrl(), "others", new MemoryPersistence());
    others.connect(o);
    for (String[] a : new String[][] {{Fixtures.SITE, Fixtures.AGENT}, {Fixtures.SITE, Fixtures.OTHER_AGENT},
        {"rabat-02", "agent-01"}}) { // each agent online, its outbox empty
      others.publish(Topics.agent(a[0], a[1], Topics.Kind.STATUS),
          WireCodec.encode(new AgentStatus(true, "0.3.0", T0.toEpochMilli(), 0)), 1, true);
    }
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = launch(playwright);
    // 1280×800: the screenshots in the guides are read at that size
    BrowserContext context = browser.newContext(new Browser.NewContextOptions().setLocale("en-GB")
        .setViewportSize(1280, 800));
    context.setDefaultTimeout(WAIT_MS);
    PlaywrightAssertions.setDefaultAssertionTimeout(WAIT_MS);
    page = context.newPage();
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (agent != null) {
      agent.disconnect();
      agent.close();
    }
    if (others != null) {
      others.disconnect();
      others.close();
    }
    if (app != null) {
      app.close();
    }
  }

  private void publish(double atMinutes, org.sangfroid.core.wire.Reading... readings) throws Exception {
    clock.set(T0.plusMillis((long) (atMinutes * 60_000)));
    agent.publish(readingsTopic(), batch(readings), 1, false);
  }

  @Test
  @Order(1)
  void login_wrongPasswordThenRight_showsTheDashboard() {
    page.navigate(base + "/");
    assertThat(page).hasURL(Pattern.compile("/login\\?next=%2F$"));
    page.fill("#name", "ana");
    page.fill("#password", "not the password");
    page.click("#login");
    assertThat(page.locator("p.notice.error")).hasText("Wrong name or password.");

    page.fill("#name", "ana");
    page.fill("#password", WebClient.PASSWORD);
    page.click("#login");

    assertThat(page).hasURL(base + "/");
    assertThat(page.locator("h1")).hasText("Dashboard");
    assertThat(page.locator("#unit-" + FRIDGE + " .state")).hasText("No data");
    assertThat(page.locator("#live")).hasClass("live on");
  }

  @Test
  @Order(2)
  void fridgeGoesIntoAlarm_theDashboardShowsItLive_withoutReloading() throws Exception {
    page.evaluate("() => { window.sangfroidNoReload = true; }");

    publish(1, reading(1, 0, FRIDGE, 4.0), reading(2, 1, FRIDGE, 4.4), reading(3, 0, FREEZER, -31.2),
        reading(4, 1, FREEZER, -31.0));
    restOfTheFleet(1, 1);
    assertThat(page.locator("#unit-" + FRIDGE + " .state")).hasText("OK");
    assertThat(page.locator("#unit-" + FRIDGE + " .temperature")).hasText("4.4\u00a0°C");
    publish(8, reading(5, 2, FRIDGE, 7.0), reading(6, 8, FRIDGE, 7.4), reading(7, 8, FREEZER, -30.8));
    restOfTheFleet(8, 2);

    assertThat(page.locator("#unit-" + FRIDGE)).hasClass(Pattern.compile("\\bstate-alarm\\b"),
        new LocatorAssertions.HasClassOptions().setTimeout(WAIT_MS));
    assertThat(page.locator("#unit-" + FRIDGE + " .state")).hasText("ALARM");
    assertThat(page.locator("#unit-" + FRIDGE + " .temperature")).hasText("7.4\u00a0°C");
    assertThat(page.evaluate("() => window.sangfroidNoReload === true")).as("the page was not reloaded").isEqualTo(true);
    screenshot("dashboard-alarm");
  }

  /** The second agent of Casablanca and the Rabat site: every unit in range, readings {@code n} of each. */
  private void restOfTheFleet(double atMinutes, long n) throws Exception {
    others.publish(Topics.agent(Fixtures.SITE, Fixtures.OTHER_AGENT, Topics.Kind.READINGS),
        batch(Fixtures.SITE, Fixtures.OTHER_AGENT, reading(n, atMinutes, Fixtures.INCUBATOR, 22.4 - n * 0.1)), 1, false);
    others.publish(Topics.agent("rabat-02", "agent-01", Topics.Kind.READINGS), batch("rabat-02", "agent-01",
        reading(3 * n - 2, atMinutes, "rabat-rbc-1", 4.2 + n * 0.1), reading(3 * n - 1, atMinutes, "rabat-plt-1", 22.1),
        reading(3 * n, atMinutes, "rabat-ffp-1", -32.5 + n * 0.2)), 1, false);
  }

  private void screenshot(String name) {
    Screenshots.save(page, name);
  }

  @Test
  @Order(3)
  void acknowledge_withAComment_fromTheInbox() throws Exception {
    page.click("nav >> text=Alarm inbox");
    JsonNode alarms = new com.fasterxml.jackson.databind.ObjectMapper().readTree(page.request().get(base + "/api/alarms")
        .text());
    for (JsonNode a : alarms) {
      if (a.get("kind").asText().equals("HIGH_TEMPERATURE")) {
        alarmId = a.get("id").asLong();
      }
    }
    assertThat(alarmId).isPositive();
    assertThat(page.locator("#open-alarms tr[data-alarm='" + alarmId + "'] .alarm-state")).hasText("ACTIVE");

    page.click("a[href='/alarms/" + alarmId + "']");
    page.fill("#ack-comment", "Door left open after a delivery; closed it, checking the bags");
    page.click("#acknowledge button");

    assertThat(page.locator("p.notice")).hasText("Alarm acknowledged.");
    assertThat(page.locator("#alarm-state")).hasText("acknowledged");
    assertThat(page.locator("#alarm-acknowledged")).containsText("by ana");
    assertThat(page.locator("#close-later")).isVisible();
    screenshot("alarm-acknowledged");
  }

  private static String text(com.microsoft.playwright.APIResponse r) {
    return r.text();
  }

  @Test
  @Order(4)
  void close_withRootCauseAndDisposition_onceTheConditionIsOver() throws Exception {
    publish(10, reading(8, 9, FRIDGE, 4.0), reading(9, 10, FREEZER, -30.9));
    restOfTheFleet(10, 3);
    page.waitForCondition(() -> text(page.request().get(base + "/api/alarms/" + alarmId)).contains("\"CLEARED\""),
        new Page.WaitForConditionOptions().setTimeout(WAIT_MS));
    page.reload();

    page.fill("#root-cause", "Door not latched after the delivery");
    page.selectOption("#disposition", "quarantined");
    page.click("#close button");

    assertThat(page.locator("p.notice")).hasText("Alarm closed.");
    assertThat(page.locator("#alarm-state")).hasText("closed");
    assertThat(page.locator("#alarm-closed")).containsText("quarantined");
    assertThat(page.locator("#history tbody tr").last()).containsText("Door not latched after the delivery");
    page.click("nav >> text=Alarm inbox");
    screenshot("inbox");
  }

  @Test
  @Order(5)
  void switchLanguage_toFrench_staysFrenchAtTheNextLogin() {
    page.click("#switch-language");

    assertThat(page.locator("html")).hasAttribute("lang", "fr");
    assertThat(page.locator("h1")).hasText("Alarmes");
    assertThat(page.locator("#recent-alarms tr[data-alarm='" + alarmId + "'] .alarm-state")).hasText("clôturée");
    assertThat(page.locator("nav")).containsText("Tableau de bord");

    page.click("#logout");
    assertThat(page).hasURL(Pattern.compile("/login$"));
    page.fill("#name", "ana");
    page.fill("#password", WebClient.PASSWORD);
    page.click("#login");
    assertThat(page.locator("h1")).hasText("Tableau de bord");
    assertThat(page.locator("#unit-" + FRIDGE + " .temperature")).hasText("4,0\u00a0°C");
    screenshot("dashboard-fr");
  }

  @Test
  @Order(6)
  void auditTrail_showsWhatWasDone_andTheChainIntact() {
    page.click("nav >> text=Piste d'audit");
    assertThat(page.locator("h1")).hasText("Piste d'audit");
    page.click("#switch-language");

    assertThat(page.locator("h1")).hasText("Audit trail");
    assertThat(page.locator("#verification")).hasClass(Pattern.compile("\\bok\\b"));
    assertThat(page.locator("#verdict")).containsText("Intact");
    assertThat(page.locator("#entries tbody tr").first()).containsText("User changed language");
    assertThat(page.locator("#entries")).containsText("Door not latched after the delivery");
    page.click("#verify-now button");
    assertThat(page.locator("p.notice")).hasText("The whole trail was verified: see the result above.");
    assertThat(page.locator("#verification")).containsText("by ana");
    page.selectOption("#filter-action", "alarm.acknowledged");
    page.click("#filters button");
    assertThat(page.locator("#entries tbody tr")).hasCount(1);
    assertThat(page.locator("#entries")).containsText("Door left open after a delivery");
    page.click("a[href='/audit']:has-text('Clear the filters')");
    Screenshots.saveTop(page, "audit"); // the verdict, the filters and the newest entries: the whole list is long
  }

  // ---- reports (issue 5) ----

  @Test
  @Order(7)
  void downloadTheExcursionReport_ofTheClosedAlarm_aPdfNamingTheUnit() throws Exception {
    page.navigate(base + "/alarms/" + alarmId);

    com.microsoft.playwright.Download download = page.waitForDownload(() -> page.click("#report-pdf"));

    assertThat(download.suggestedFilename()).isEqualTo("excursion-" + alarmId + "-" + FRIDGE + ".pdf");
    byte[] pdf = Files.readAllBytes(download.path());
    assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    try (org.apache.pdfbox.pdmodel.PDDocument d = org.apache.pdfbox.Loader.loadPDF(pdf)) {
      String text = new org.apache.pdfbox.text.PDFTextStripper().getText(d);
      assertThat(text).contains("Red cell fridge 1 (" + FRIDGE + ")").contains("Door not latched after the delivery")
          .contains("ana");
    }
  }
}
