package org.sangfroid.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.T0;
import static org.sangfroid.gateway.Fixtures.batch;
import static org.sangfroid.gateway.Fixtures.reading;
import static org.sangfroid.gateway.Fixtures.readingsTopic;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.WebClient;
import org.sangfroid.gateway.alarm.AlarmBook;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Http;
import org.sangfroid.gateway.ingest.Ingest;
import org.sangfroid.gateway.store.AlarmState;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Role;

/** Issue 5, acceptance 2: who may do what, over real HTTP against a real SQLite store. */
class AccessTest {
  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private GatewayStore store;
  private Ingest ingest;
  private WebApi api;

  @BeforeEach
  void start() {
    Fleet fleet = Fixtures.config(dir).fleet();
    store = GatewayStore.open(dir.resolve("gateway.db"));
    AlarmBook book = new AlarmBook(meters, clock);
    ingest = new Ingest(fleet, store, book, meters, clock);
    api = WebApi.start(new Http("127.0.0.1", 0, false, Duration.ofMinutes(30), Duration.ofHours(12), ZoneOffset.UTC),
        fleet, store, meters, () -> true, clock, List::of, book);
    WebClient.addUser(store, "vera", Role.VIEWER, Language.EN);
    WebClient.addUser(store, "tom", Role.TECHNICIAN, Language.EN);
    WebClient.addUser(store, "ana", Role.QM, Language.FR);
  }

  @AfterEach
  void stop() {
    api.close();
    store.close();
  }

  /** A fridge HIGH_TEMPERATURE alarm (id 1), its condition on. */
  private void fridgeAlarm() {
    clock.set(T0.plus(Duration.ofMinutes(6)));
    ingest.accept(readingsTopic(), batch(reading(1, 0, FRIDGE, 7.0), reading(2, 5, FRIDGE, 7.4)));
  }

  private static String concrete(String path) {
    return path.replace("/api/units/{id}", "/api/units/" + FRIDGE).replace("/units/{id}", "/units/" + FRIDGE)
        .replace("{id}", "1").replace("{job}", "no-such-job");
  }

  @Test
  void everyRouteButThePublicOnes_withoutLogin_isRefused_api401_pagesToTheLoginPage() {
    fridgeAlarm();
    WebClient nobody = WebClient.anonymous(api.port());
    List<WebApi.Route> guarded = api.routes().stream().filter(r -> r.access() != Access.PUBLIC).toList();

    assertThat(guarded).hasSizeGreaterThan(20);
    for (WebApi.Route r : guarded) {
      String path = concrete(r.path());
      HttpResponse<String> answer = r.method().equals("GET") ? nobody.get(path) : nobody.post(path, "{}");
      boolean api = path.startsWith("/api/") || path.startsWith("/live/");
      if (api) {
        assertThat(answer.statusCode()).as(r.toString()).isEqualTo(401);
        assertThat(WebClient.json(answer).get("error").asText()).as(r.toString()).startsWith("Log in first");
      } else {
        assertThat(answer.statusCode()).as(r.toString()).isEqualTo(302);
        assertThat(answer.headers().firstValue("Location")).as(r.toString())
            .hasValueSatisfying(l -> assertThat(l).startsWith("/login?next="));
      }
    }
    assertThat(store.alarm(1).orElseThrow().state()).isEqualTo(AlarmState.ACTIVE);
  }

  @Test
  void publicRoutes_areOnlyLoginStaticHealthAndMetrics() {
    assertThat(api.routes().stream().filter(r -> r.access() == Access.PUBLIC).map(r -> r.method() + " " + r.path()))
        .containsExactlyInAnyOrder("GET /login", "POST /login", "POST /api/login", "GET /static/app.css",
            "GET /static/app.js", "GET /api/health", "GET /metrics",
            // unit page (issue 5): its script and the chart library
            "GET /static/unit.js", "GET /static/vendor/uplot/uPlot.iife.min.js",
            "GET /static/vendor/uplot/uPlot.min.css");
    WebClient nobody = WebClient.anonymous(api.port());
    assertThat(nobody.get("/api/health").statusCode()).isEqualTo(200);
    assertThat(nobody.get("/metrics").statusCode()).isEqualTo(200);
    assertThat(nobody.get("/static/app.js").statusCode()).isEqualTo(200);
  }

  @Test
  void viewer_cannotAcknowledge_overTheApiOrTheForm_andTheAlarmStaysActive() {
    fridgeAlarm();
    WebClient vera = WebClient.login(api.port(), "vera");

    HttpResponse<String> json = vera.post("/api/alarms/1/acknowledge", "{\"comment\":\"seen\"}");
    HttpResponse<String> form = vera.postForm("/alarms/1/acknowledge", vera.withCsrf(Map.of("comment", "seen")));

    assertThat(json.statusCode()).isEqualTo(403);
    assertThat(WebClient.json(json).get("error").asText())
        .isEqualTo("Your role (viewer) may not do this: it needs qm or above.");
    assertThat(form.statusCode()).isEqualTo(403);
    assertThat(form.body()).contains("Your role does not allow this.");
    assertThat(vera.getJson("/api/alarms/1").get("state").asText()).as("a viewer reads").isEqualTo("ACTIVE");
    assertThat(vera.get("/alarms/1").body()).doesNotContain("id=\"acknowledge\"")
        .contains("Only a quality manager can acknowledge or close an alarm.");
  }

  @Test
  void technician_mayRestockButNotAcknowledge() {
    fridgeAlarm();
    WebClient tom = WebClient.login(api.port(), "tom");

    assertThat(tom.post("/api/units/" + FRIDGE + "/restock", "{\"comment\":\"refilled\"}").statusCode()).isEqualTo(200);
    assertThat(tom.post("/api/alarms/1/acknowledge", "{\"comment\":\"seen\"}").statusCode()).isEqualTo(403);
    assertThat(WebClient.login(api.port(), "vera").post("/api/units/" + FRIDGE + "/restock",
        "{\"comment\":\"refilled\"}").statusCode()).isEqualTo(403);
  }

  @Test
  void post_withoutOrWithAWrongCsrfToken_isRefused_andNothingChanges() {
    fridgeAlarm();
    WebClient ana = WebClient.login(api.port(), "ana");

    HttpResponse<String> formWithout = ana.postForm("/alarms/1/acknowledge", Map.of("comment", "seen"));
    HttpResponse<String> formWrong = ana.postForm("/alarms/1/acknowledge", Map.of("comment", "seen", "csrf",
        "x".repeat(43)));
    HttpResponse<String> otherSessionsToken = ana.postForm("/alarms/1/acknowledge", Map.of("comment", "seen",
        "csrf", WebClient.login(api.port(), "ana").csrf()));
    WebClient noHeader = WebClient.login(api.port(), "ana");
    HttpResponse<String> jsonWithout = WebClient.anonymous(api.port()).post("/api/alarms/1/acknowledge", "{}");

    assertThat(formWithout.statusCode()).isEqualTo(403);
    assertThat(formWithout.body()).contains("no valid CSRF token");
    assertThat(formWrong.statusCode()).isEqualTo(403);
    assertThat(otherSessionsToken.statusCode()).isEqualTo(403);
    assertThat(jsonWithout.statusCode()).isEqualTo(401);
    assertThat(store.alarm(1).orElseThrow().acknowledged()).isEmpty();

    HttpResponse<String> ok = ana.postForm("/alarms/1/acknowledge", ana.withCsrf(Map.of("comment", "seen")));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(303);
    assertThat(store.alarm(1).orElseThrow().acknowledged()).hasValueSatisfying(k -> assertThat(k.user())
        .isEqualTo("ana"));
    assertThat(noHeader.csrf()).isNotEqualTo(ana.csrf());
  }

  @Test
  void jsonPost_withoutTheHeader_isRefused() {
    fridgeAlarm();
    WebClient ana = WebClient.login(api.port(), "ana");
    WebClient stripped = WebClient.login(api.port(), "ana");
    // the same session's cookie, no token: a fresh client logged in, then its token forgotten
    HttpResponse<String> r = stripped.postForm("/api/alarms/1/acknowledge", Map.of("comment", "seen"));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(WebClient.json(r).get("error").asText()).startsWith("The request has no valid CSRF token");
    assertThat(ana.post("/api/alarms/1/acknowledge", "{\"comment\":\"seen\"}").statusCode()).isEqualTo(200);
  }

  @Test
  void session_endsAfterIdleTimeout_andAtLogout() {
    WebClient ana = WebClient.login(api.port(), "ana");
    clock.advance(Duration.ofMinutes(29));
    assertThat(ana.get("/api/units").statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(29));
    assertThat(ana.get("/api/units").statusCode()).as("used 29 min ago").isEqualTo(200);
    clock.advance(Duration.ofMinutes(30));
    assertThat(ana.get("/api/units").statusCode()).as("idle 30 min").isEqualTo(401);

    WebClient again = WebClient.login(api.port(), "ana");
    assertThat(again.post("/api/logout", "").statusCode()).isEqualTo(204);
    assertThat(again.get("/api/units").statusCode()).isEqualTo(401);
  }

  @Test
  void session_endsAfterItsMaximumLife_however_active() {
    WebClient ana = WebClient.login(api.port(), "ana");
    for (int i = 0; i < 24; i++) {
      clock.advance(Duration.ofMinutes(29));
      assertThat(ana.get("/api/units").statusCode()).isEqualTo(200);
    }
    clock.advance(Duration.ofMinutes(29)); // 12 h 5 min after the login
    assertThat(ana.get("/api/units").statusCode()).isEqualTo(401);
  }

  @Test
  void login_setsAnHttpOnlyStrictCookie_andFailuresAreSlowedPerUser() {
    WebClient nobody = WebClient.anonymous(api.port());
    HttpResponse<String> page = nobody.get("/login");
    String token = page.body().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
    assertThat(page.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
        .startsWith("sangfroid_login=" + token).contains("HttpOnly").contains("SameSite=Strict"));

    HttpResponse<String> ok = nobody.postForm("/login", Map.of("csrf", token, "name", "ana", "password",
        WebClient.PASSWORD, "next", "/alarms"));
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(ok.headers().firstValue("Location")).hasValue("/alarms");
    assertThat(ok.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("sangfroid_session=")
        .contains("; Path=/; HttpOnly; SameSite=Strict").doesNotContain("Secure"));

    WebClient guesser = WebClient.anonymous(api.port());
    String guessToken = guesser.get("/login").body().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
    for (int i = 0; i < LoginThrottle.FREE_PER_USER; i++) {
      HttpResponse<String> wrong = guesser.postForm("/login", Map.of("csrf", guessToken, "name", "vera", "password", "nope"));
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).contains("Wrong name or password.");
    }
    HttpResponse<String> slowed = guesser.postForm("/login", Map.of("csrf", guessToken, "name", "vera", "password",
        WebClient.PASSWORD));
    assertThat(slowed.statusCode()).as("even the right password waits").isEqualTo(429);
    assertThat(slowed.headers().firstValue("Retry-After")).hasValue("1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(WebClient.login(api.port(), "vera").getJson("/api/session").get("role").asText()).isEqualTo("viewer");
    assertThat(meters.get("sangfroid.web.logins").tag("result", "throttled").counter().count()).isEqualTo(1);
  }

  @Test
  void loginForm_withoutItsToken_isRefused() {
    WebClient nobody = WebClient.anonymous(api.port());

    HttpResponse<String> r = nobody.postForm("/login", Map.of("name", "ana", "password", WebClient.PASSWORD));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("The login form had expired.");
    assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("sangfroid_session="));
  }

  @Test
  void apiLogin_onlyAsJson() {
    HttpResponse<String> form = WebClient.anonymous(api.port()).postForm("/api/login", Map.of("name", "ana",
        "password", WebClient.PASSWORD));

    assertThat(form.statusCode()).isEqualTo(403);
  }

  @Test
  void afterLogin_onlyLocalPathsAreFollowed() {
    assertThat(Guard.next("/alarms/3")).isEqualTo("/alarms/3");
    assertThat(Guard.next("https://evil.example/")).isEqualTo("/");
    assertThat(Guard.next("//evil.example/")).isEqualTo("/");
    assertThat(Guard.next("/\\evil.example")).isEqualTo("/");
    assertThat(Guard.next(null)).isEqualTo("/");
  }

  @Test
  void agentsPage_showsEachConfiguredAgent_itsVersionLastContactAndOutbox() {
    clock.set(T0.plus(Duration.ofMinutes(2)));
    ingest.accept(org.sangfroid.core.wire.Topics.agent(Fixtures.SITE, Fixtures.AGENT,
        org.sangfroid.core.wire.Topics.Kind.STATUS), org.sangfroid.core.wire.WireCodec.encode(
        new org.sangfroid.core.wire.AgentStatus(true, "0.1.0", T0.toEpochMilli(), 1234)));
    clock.advance(Duration.ofMinutes(2));

    HttpResponse<String> page = WebClient.login(api.port(), "vera").get("/agents");

    assertThat(page.statusCode()).isEqualTo(200);
    String one = page.body().replaceAll("(?s).*(<tr id=\"agent-casa-01-agent-01\".*?</tr>).*", "$1");
    assertThat(one).contains("agent-online").contains("0.1.0").contains("1,234").contains("2 min ago")
        .contains("<td class=\"probe-faults\">0</td>");
    String two = page.body().replaceAll("(?s).*(<tr id=\"agent-casa-01-agent-02\".*?</tr>).*", "$1");
    assertThat(two).contains("never heard from");
  }

  @Test
  void pages_carrySecurityHeaders_andTheUsersLanguage() {
    WebClient ana = WebClient.login(api.port(), "ana");

    HttpResponse<String> page = ana.get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v ->
        assertThat(v).contains("default-src 'self'").contains("frame-ancestors 'none'"));
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.body()).contains("<html lang=\"fr\">").contains("Tableau de bord").doesNotContain("<script>");
  }

  @Test
  void unitPageAndChart_needALogin_andEveryRoleReadsThem() {
    WebClient nobody = WebClient.anonymous(api.port());
    assertThat(nobody.get("/units/" + FRIDGE).statusCode()).isEqualTo(302);
    assertThat(nobody.get("/api/units/" + FRIDGE + "/chart").statusCode()).isEqualTo(401);

    WebClient vera = WebClient.login(api.port(), "vera");
    assertThat(vera.get("/units/" + FRIDGE).statusCode()).isEqualTo(200);
    assertThat(vera.get("/api/units/" + FRIDGE + "/chart").statusCode()).isEqualTo(200);
  }

  // ---- the audit trail page (issue 5): quality managers and admins only ----

  @Test
  void auditPage_onlyForQualityManagersAndAdmins_andVerifyNeedsItsCsrfToken() {
    WebClient vera = WebClient.login(api.port(), "vera");
    WebClient tom = WebClient.login(api.port(), "tom");
    WebClient ana = WebClient.login(api.port(), "ana");

    assertThat(vera.get("/audit").statusCode()).isEqualTo(403);
    assertThat(tom.get("/audit").statusCode()).isEqualTo(403);
    assertThat(tom.postForm("/audit/verify", tom.withCsrf(Map.of())).statusCode()).isEqualTo(403);
    assertThat(vera.get("/").body()).as("no link a viewer cannot follow").doesNotContain("href=\"/audit\"");
    assertThat(ana.get("/").body()).contains("href=\"/audit\"");
    assertThat(ana.get("/audit").statusCode()).isEqualTo(200);
    for (String api : java.util.List.of("/api/audit", "/api/audit/head", "/api/audit/verify")) {
      assertThat(vera.get(api).statusCode()).as("viewer " + api).isEqualTo(403);
      assertThat(tom.get(api).statusCode()).as("technician " + api).isEqualTo(403);
      assertThat(ana.get(api).statusCode()).as("quality manager " + api).isEqualTo(200);
    }
    assertThat(ana.postForm("/audit/verify", Map.of()).statusCode()).isEqualTo(403);
    assertThat(store.lastAuditEntry("audit.verified")).as("nothing verified without the token").isEmpty();
    assertThat(ana.postForm("/audit/verify", ana.withCsrf(Map.of())).statusCode()).isEqualTo(303);
    assertThat(store.lastAuditEntry("audit.verified").orElseThrow().actor()).isEqualTo("ana");
  }
}
