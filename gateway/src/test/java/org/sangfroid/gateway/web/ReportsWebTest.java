package org.sangfroid.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.gateway.WebClient;
import org.sangfroid.gateway.alarm.AlarmBook;
import org.sangfroid.gateway.audit.AuditReport;
import org.sangfroid.gateway.audit.AuditVerifier;
import org.sangfroid.gateway.config.GatewayConfig.Http;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Role;

/** Issue 5, reports over real HTTP: who may download and sign, CSRF, and a report made in the background. */
class ReportsWebTest {
  @TempDir Path dir;
  private org.sangfroid.gateway.report.ReportFixtureAccess f;
  private WebApi api;
  private AlarmRow alarm;

  @BeforeEach
  void start() {
    f = new org.sangfroid.gateway.report.ReportFixtureAccess(dir);
    alarm = f.closedExcursion();
    f.clock().set(Instant.parse("2026-12-02T08:00:00Z"));
    api = WebApi.start(new Http("127.0.0.1", 0, false, Duration.ofMinutes(30), Duration.ofHours(12), ZoneOffset.UTC),
        f.fleet(), f.store(), f.meters(), () -> true, f.clock(), List::of, new AlarmBook(f.meters(), f.clock()));
    WebClient.addUser(f.store(), "vera", Role.VIEWER, Language.EN);
    WebClient.addUser(f.store(), "ana", Role.QM, Language.FR);
  }

  @AfterEach
  void stop() {
    api.close();
    f.close();
  }

  @Test
  void viewer_downloadsTheExcursionReport_asPdfAndCsv() {
    WebClient vera = WebClient.login(api.port(), "vera");

    HttpResponse<String> pdf = vera.get("/alarms/" + alarm.id() + "/report.pdf");
    HttpResponse<String> csv = vera.get("/alarms/" + alarm.id() + "/report.csv");

    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
    assertThat(pdf.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"excursion-"
        + alarm.id() + "-rbc-fridge-1.pdf\"");
    assertThat(pdf.body()).startsWith("%PDF-");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.body()).startsWith("\ufeffSangfroid,Excursion report — alarm #" + alarm.id());
    assertThat(vera.get("/alarms/" + alarm.id()).body()).contains("href=\"/alarms/" + alarm.id() + "/report.pdf\"")
        .contains("href=\"/units/rbc-fridge-1/reports\"");
    assertThat(vera.get("/").body()).contains("href=\"/units/rbc-fridge-1/reports\"");
    assertThat(vera.get("/alarms/999/report.pdf").statusCode()).isEqualTo(404);
  }

  @Test
  void viewer_cannotSign_403_andNoSignatureIsRecorded() {
    WebClient vera = WebClient.login(api.port(), "vera");
    String page = vera.get("/units/rbc-fridge-1/reports?month=2026-11").body();
    assertThat(page).doesNotContain("id=\"sign\"").contains("Only a quality manager can sign a report.");

    HttpResponse<String> r = vera.postForm("/units/rbc-fridge-1/reports/sign", vera.withCsrf(Map.of("month",
        "2026-11", "confirm", "yes", "hash", hash(page))));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(f.store().signatures("rbc-fridge-1", "2026-11")).isEmpty();
  }

  @Test
  void qm_signsWithTheFormsToken_butNotWithout_andTheAuditTrailStillVerifies() {
    WebClient ana = WebClient.login(api.port(), "ana");
    String page = ana.get("/units/rbc-fridge-1/reports?month=2026-11").body();
    assertThat(page).contains("id=\"sign\"").contains("data-state=\"unsigned\"").contains("Pas encore signé.");
    Map<String, String> form = Map.of("month", "2026-11", "confirm", "yes", "hash", hash(page), "comment", "RAS");

    HttpResponse<String> without = ana.postForm("/units/rbc-fridge-1/reports/sign", form);
    assertThat(without.statusCode()).isEqualTo(403);
    assertThat(f.store().signatures("rbc-fridge-1", "2026-11")).isEmpty();

    HttpResponse<String> signed = ana.postForm("/units/rbc-fridge-1/reports/sign", ana.withCsrf(form));
    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(303);
    assertThat(f.store().signatures("rbc-fridge-1", "2026-11")).singleElement().satisfies(s -> {
      assertThat(s.signedBy()).isEqualTo("ana");
      assertThat(s.statement()).isEqualTo("J'ai relu ce rapport et ses données.");
      assertThat(s.comment()).hasValue("RAS");
    });
    assertThat(ana.get("/units/rbc-fridge-1/reports?month=2026-11").body()).contains("data-state=\"signed\"")
        .contains("Signé par ana");
    AuditVerifier v = new AuditVerifier();
    GatewayStore.scanAuditTrail(f.store().database(), v::accept);
    AuditReport report = v.report();
    assertThat(report.ok()).as(report.problems().toString()).isTrue();
    assertThat(f.store().lastAuditEntry("report.signed")).hasValueSatisfying(a -> assertThat(a.actor())
        .isEqualTo("ana"));
  }

  @Test
  void monthlyPdf_isMadeInTheBackground_itsProgressPolled_thenDownloaded() {
    WebClient ana = WebClient.login(api.port(), "ana");

    HttpResponse<String> started = ana.postForm("/units/rbc-fridge-1/reports/jobs", ana.withCsrf(Map.of("month",
        "2026-11", "format", "pdf")));

    assertThat(started.statusCode()).isEqualTo(303);
    String jobPage = started.headers().firstValue("Location").orElseThrow();
    assertThat(jobPage).startsWith("/reports/jobs/");
    String id = jobPage.substring("/reports/jobs/".length());
    assertThat(ana.get(jobPage).body()).contains("id=\"job-progress\"").contains("data-status=\"/api/reports/jobs/"
        + id + "\"");
    await().atMost(Duration.ofSeconds(30)).until(() -> ana.getJson("/api/reports/jobs/" + id).get("state").asText()
        .equals("DONE"));
    JsonNode status = ana.getJson("/api/reports/jobs/" + id);
    assertThat(status.get("percent").asInt()).isEqualTo(100);
    assertThat(status.get("file").asText()).isEqualTo("monthly-rbc-fridge-1-2026-11.pdf");

    HttpResponse<String> file = ana.get(status.get("download").asText());
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.body()).startsWith("%PDF-");
    assertThat(WebClient.login(api.port(), "vera").get("/api/reports/jobs/" + id).statusCode())
        .as("another user's report").isEqualTo(404);
  }

  @Test
  void badMonth_andUnknownUnit_areClearErrors() {
    WebClient vera = WebClient.login(api.port(), "vera");

    HttpResponse<String> month = vera.get("/units/rbc-fridge-1/reports?month=novembre");
    HttpResponse<String> unit = vera.get("/units/nope/reports");

    assertThat(month.statusCode()).isEqualTo(400);
    assertThat(month.body()).contains("The month [novembre] must be written as 2026-11.");
    assertThat(unit.statusCode()).isEqualTo(404);
  }

  private static String hash(String page) {
    return page.replaceAll("(?s).*name=\"hash\" value=\"([0-9a-f]{64})\".*", "$1");
  }
}
