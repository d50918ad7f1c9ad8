package org.sangfroid.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sangfroid.gateway.Fixtures.FREEZER;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.T0;
import static org.sangfroid.gateway.Fixtures.batch;
import static org.sangfroid.gateway.Fixtures.reading;
import static org.sangfroid.gateway.Fixtures.readingsTopic;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Role;

/** Issue 5: the audit trail page over real HTTP against a real SQLite store. */
class AuditPageTest {
  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Fleet fleet;
  private GatewayStore store;
  private Ingest ingest;
  private WebApi api;

  @BeforeEach
  void start() {
    fleet = Fixtures.config(dir).fleet();
    open();
    WebClient.addUser(store, "ana", Role.QM, Language.EN);
    WebClient.addUser(store, "marie", Role.ADMIN, Language.FR);
  }

  private void open() {
    store = GatewayStore.open(dir.resolve("gateway.db"));
    AlarmBook book = new AlarmBook(meters, clock);
    ingest = new Ingest(fleet, store, book, meters, clock);
    api = WebApi.start(new Http("127.0.0.1", 0, false, Duration.ofMinutes(30), Duration.ofHours(12), ZoneOffset.UTC),
        fleet, store, meters, () -> true, clock, List::of, book);
  }

  @AfterEach
  void stop() {
    api.close();
    store.close();
  }

  /** Changes the database behind the gateway's back, as someone with the file could. */
  private void tamper(String sql) throws Exception {
    stop();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("gateway.db"))) {
      c.createStatement().executeUpdate(sql);
    }
    open();
  }

  /**
   * Entries 3 and 4: the fridge's warning and alarm raised, then 5 and 6 two days later: the
   * freezer's (1 and 2 are the users added).
   */
  private void twoAlarms() {
    clock.set(T0.plus(Duration.ofMinutes(6)));
    ingest.accept(readingsTopic(), batch(reading(1, 0, FRIDGE, 7.0), reading(2, 5, FRIDGE, 7.4)));
    clock.set(T0.plus(Duration.ofDays(2)));
    ingest.accept(readingsTopic(), batch(reading(3, 2 * 24 * 60 - 10, FREEZER, -10.0),
        reading(4, 2 * 24 * 60, FREEZER, -10.0)));
  }

  private static List<String> seqs(String page) {
    Matcher m = Pattern.compile("<tr data-seq=\"(\\d+)\"").matcher(page);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void page_showsTheEntriesNewestFirst_readably_andTheChainIntact() {
    twoAlarms();
    WebClient ana = WebClient.login(api.port(), "ana");

    HttpResponse<String> r = ana.get("/audit");


    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(seqs(r.body())).containsExactly("6", "5", "4", "3", "2", "1");
    assertThat(r.body())
        .contains("<section class=\"verify ok\" id=\"verification\">")
        .contains("Intact: entries 1 to 6 were checked, and none was changed, deleted or inserted.")
        .contains("<td class=\"action\">Alarm raised<small>alarm.raised</small></td>")
        .contains("<td class=\"user\">Sangfroid</td>")
        .contains("<a href=\"/alarms/1\">alarm/1</a>")
        .contains("<dt>unit</dt><dd>" + FRIDGE + "</dd>")
        .contains("<dt>startedAt</dt><dd>Nov 23, 2026, 10:00:00 AM</dd>") // a time, not epoch milliseconds
        .contains("<dt>late</dt><dd>no</dd>")
        .contains("The whole trail has not been verified since the gateway started.");
  }

  @Test
  void filters_byActionUnitUserAndPeriod_andOlderPages() {
    twoAlarms();
    WebClient ana = WebClient.login(api.port(), "ana");

    assertThat(seqs(ana.get("/audit?action=alarm.raised").body())).containsExactly("6", "5", "4", "3");
    assertThat(seqs(ana.get("/audit?subject=" + FRIDGE).body())).containsExactly("4", "3");
    assertThat(seqs(ana.get("/audit?subject=user").body())).containsExactly("2", "1");
    assertThat(seqs(ana.get("/audit?subject=alarm/1").body())).hasSize(1);
    assertThat(seqs(ana.get("/audit?user=Sangfroid").body())).as("the gateway's own name, as shown").hasSize(6);
    assertThat(seqs(ana.get("/audit?user=ana").body())).isEmpty();
    assertThat(seqs(ana.get("/audit?from=2026-11-25&to=2026-11-25").body())).containsExactly("6", "5");
    assertThat(seqs(ana.get("/audit?to=2026-11-23").body())).containsExactly("4", "3", "2", "1");
    assertThat(seqs(ana.get("/audit?action=alarm.raised&before=5").body())).containsExactly("4", "3");
    HttpResponse<String> bad = ana.get("/audit?from=23/11/2026");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("From [23/11/2026] must be a date such as 2026-11-23.");
  }

  @Test
  void paging_fiftyAPage_olderLinkKeepsTheFilter() {
    for (int i = 0; i < 60; i++) {
      new org.sangfroid.gateway.user.Users(store, clock).setLanguage("ana", i % 2 == 0 ? Language.FR : Language.EN);
    }
    WebClient ana = WebClient.login(api.port(), "ana");

    String first = ana.get("/audit?action=user.language").body();

    assertThat(seqs(first)).hasSize(AuditPage.PAGE).startsWith("62");
    assertThat(first).contains("<a href=\"/audit?action=user.language&amp;before=13\" id=\"older\">");
    assertThat(seqs(ana.get("/audit?action=user.language&before=13").body())).hasSize(10).endsWith("3");
  }

  @Test
  void tamperedTrail_isShownBroken_inWordsAQualityManagerReads_inBothLanguages() throws Exception {
    twoAlarms();
    tamper("UPDATE audit_trail SET actor = 'mallory' WHERE seq = 3");

    String en = WebClient.login(api.port(), "ana").get("/audit").body();
    String fr = WebClient.login(api.port(), "marie").get("/audit").body();

    assertThat(en).contains("<section class=\"verify broken\" id=\"verification\">")
        .contains("BROKEN: the audit trail was tampered with (1 problem(s) below).")
        .contains("Entry 3 was changed after it was written: its content no longer matches its seal.")
        .contains("<tr data-seq=\"3\" class=\"bad\">");
    assertThat(fr).contains("ALTÉRÉE : la piste d&#39;audit a été falsifiée (1 problème(s) ci-dessous).")
        .contains("L&#39;entrée 3 a été modifiée après son écriture");
  }

  @Test
  void deletedEntries_areNamedAsARun() throws Exception {
    twoAlarms();
    tamper("DELETE FROM audit_trail WHERE seq IN (2, 3)");

    String en = WebClient.login(api.port(), "ana").get("/audit").body();

    assertThat(en).contains("Entries 2 to 3 were deleted.");
  }

  @Test
  void eachVisit_checksTheNewEntries_verifyNow_readsEverythingAgain_andIsAudited() throws Exception {
    WebClient ana = WebClient.login(api.port(), "ana");
    assertThat(ana.get("/audit").body()).contains("Intact: entries 1 to 2 were checked");
    twoAlarms();
    ana = WebClient.login(api.port(), "ana"); // two days later: a new login
    assertThat(ana.get("/audit").body()).as("the new entries checked at the next visit")
        .contains("Intact: entries 1 to 6 were checked");
    clock.set(T0.plus(Duration.ofDays(3)));
    ana = WebClient.login(api.port(), "ana");

    HttpResponse<String> verify = ana.postForm("/audit/verify", ana.withCsrf(Map.of()));

    assertThat(verify.statusCode()).isEqualTo(303);
    assertThat(verify.headers().firstValue("Location")).hasValue("/audit?verified=1");
    String after = ana.get("/audit?verified=1").body();
    assertThat(after).contains("The whole trail was verified: see the result above.")
        .contains("Intact: entries 1 to 7 were checked") // its own entry, audit.verified, included
        .contains("Whole trail last verified at Nov 26, 2026, 10:00:00 AM by ana.");
    assertThat(store.lastAuditEntry("audit.verified").orElseThrow().details())
        .contains("\"ok\":true").contains("\"entries\":6").contains("\"headSeq\":6");

    tamper("UPDATE audit_trail SET actor = 'mallory' WHERE seq = 1");
    ana = WebClient.login(api.port(), "ana");
    ana.postForm("/audit/verify", ana.withCsrf(Map.of()));

    assertThat(ana.get("/audit").body()).contains("Entry 1 was changed after it was written");
    assertThat(store.lastAuditEntry("audit.verified").orElseThrow().details())
        .contains("\"ok\":false").contains("\"entries\":7").contains("entry 1: altered");
  }
}
