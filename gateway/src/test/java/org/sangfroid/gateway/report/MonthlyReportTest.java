package org.sangfroid.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.audit.AuditReport;
import org.sangfroid.gateway.audit.AuditVerifier;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.store.AuditRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.user.Language;

/**
 * Issue 5, reports: the monthly report's daily table from known readings, its signature, and a
 * signature that no longer matches once late readings arrive.
 */
class MonthlyReportTest {
  private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
  private static final Instant NOV1 = Instant.parse("2026-11-01T00:00:00Z");
  @TempDir Path dir;
  private ReportFixture f;
  private Unit fridge;
  private long seq = 1;

  /**
   * One reading every 10 min (the fridge's profile lets a reading stand 10 min): 1 November
   * 4.0 °C for 12 h then 5.0 °C for 12 h; 2 November 3.0 °C but 8.0 °C from 06:00 to 07:00; nothing
   * after.
   */
  @BeforeEach
  void readings() {
    f = new ReportFixture(dir);
    fridge = f.fleet.unit(Fixtures.FRIDGE).orElseThrow();
    for (int i = 0; i < 144; i++) {
      f.store(seq++, NOV1.plus(Duration.ofMinutes(10L * i)), i < 72 ? 4.0 : 5.0);
    }
    for (int i = 0; i < 144; i++) {
      f.store(seq++, NOV1.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(10L * i)), i >= 36 && i < 42 ? 8.0 : 3.0);
    }
    f.clock.set(Instant.parse("2026-12-02T08:00:00Z"));
  }

  @AfterEach
  void close() {
    f.close();
  }

  private MonthlyReport report() {
    return MonthlyReport.of(fridge, NOVEMBER, ZoneOffset.UTC, f.store, f.fleet, f.clock.millis(), p -> { });
  }

  @Test
  void dailyTable_minMaxMeanAndTimeOutOfRange_fromTheReadings() {
    List<Integer> progress = new ArrayList<>();
    MonthlyReport r = MonthlyReport.of(fridge, NOVEMBER, ZoneOffset.UTC, f.store, f.fleet, f.clock.millis(),
        progress::add);

    assertThat(r.complete()).isTrue();
    assertThat(r.days()).hasSize(30);
    MonthlyReport.Day one = r.days().get(0);
    assertThat(one.stats().min().getAsDouble()).isEqualTo(4.0);
    assertThat(one.stats().max().getAsDouble()).isEqualTo(5.0);
    assertThat(one.stats().mean().getAsDouble()).isEqualTo(4.5);
    assertThat(one.stats().outOfRangeMillis()).isZero();
    assertThat(one.stats().uncoveredMillis()).isZero();
    MonthlyReport.Day two = r.days().get(1);
    assertThat(two.stats().max().getAsDouble()).isEqualTo(8.0);
    assertThat(two.stats().aboveMillis()).isEqualTo(Duration.ofHours(1).toMillis());
    assertThat(two.stats().mean().getAsDouble()).isEqualTo((23 * 3.0 + 8.0) / 24);
    assertThat(r.days().get(2).stats().readings()).isZero();
    assertThat(r.days().get(2).stats().uncoveredMillis()).isEqualTo(Duration.ofDays(1).toMillis());
    assertThat(r.whole().meanKinetic()).isPresent();
    assertThat(progress).startsWith(0, 20).endsWith(90).isSorted();
  }

  @Test
  void pdf_showsTheDailyValues_inEnglishAndFrench() {
    MonthlyReport r = report();

    String en = ReportFixture.text(MonthlyDocuments.pdf(r, new Words(Language.EN, ZoneOffset.UTC), f.clock.millis()));
    String fr = ReportFixture.text(MonthlyDocuments.pdf(r, new Words(Language.FR, ZoneOffset.UTC), f.clock.millis()));

    assertThat(en).contains("Monthly report — Red cell fridge 1 — November 2026")
        .contains("Nov 1, 2026 144 4.0 °C 5.0 °C 4.5 °C 0 s 0 s")
        .contains("Nov 2, 2026 144 3.0 °C 8.0 °C 3.2 °C 1 h 00 min 0 s")
        .contains("Nov 3, 2026 0 — — — 0 s 1 d 0 h")
        .contains("Mean kinetic temperature")
        .contains("Not signed yet.");
    assertThat(fr).contains("Rapport mensuel — Red cell fridge 1 — novembre 2026")
        .contains("1 nov. 2026 144 4,0 °C 5,0 °C 4,5 °C 0 s 0 s")
        .contains("Pas encore signé.");
  }

  @Test
  void csv_ofTheDailyTable_parsesBackToTheSameNumbers() {
    byte[] csv = MonthlyDocuments.csv(report(), new Words(Language.FR, ZoneOffset.UTC), f.clock.millis());

    List<String> lines = new String(csv, StandardCharsets.UTF_8).substring(1).lines().toList();
    int table = lines.indexOf("");
    assertThat(lines.get(table + 1)).startsWith("Jour;Relevés;Relevés non valides;Minimum (°C)");
    assertThat(lines.subList(table + 2, lines.size())).hasSize(30);
    assertThat(lines.get(table + 2).split(";", -1)).containsExactly("2026-11-01", "144", "0", "4", "5", "4,5", "0", "0",
        "0");
    assertThat(lines.get(table + 3).split(";", -1)).containsExactly("2026-11-02", "144", "0", "3", "8", "3,208", "60",
        "0", "0");
    assertThat(lines.get(table + 4).split(";", -1)).containsExactly("2026-11-03", "0", "0", "", "", "", "0", "0",
        "1440");
  }

  @Test
  void signature_isRecordedAudited_shownInThePdf_andNoLongerMatchesAfterLateReadings() {
    MonthlyReport r = report();
    ReportSigner signer = new ReportSigner(f.store, f.clock);

    ReportSigner.Outcome o = signer.sign(r, "ana", "I have reviewed this report and its data.", true, "All fine",
        r.contentHash());

    assertThat(o).isInstanceOf(ReportSigner.Signed.class);
    AuditRow audit = f.store.lastAuditEntry("report.signed").orElseThrow();
    assertThat(audit.actor()).isEqualTo("ana");
    assertThat(audit.subject()).isEqualTo("report/rbc-fridge-1/2026-11");
    assertThat(audit.details()).contains(r.contentHash()).contains("\"authenticated\":true");
    assertThat(verify(f.store).ok()).isTrue();
    MonthlyReport signed = report();
    assertThat(signed.signatureMatches()).isTrue();
    String pdf = ReportFixture.text(MonthlyDocuments.pdf(signed, new Words(Language.EN, ZoneOffset.UTC),
        f.clock.millis()));
    assertThat(pdf.replace("\n", " ")).contains("Signed by ana on Dec 2, 2026").contains(r.contentHash())
        .contains("the signature is valid").contains("All fine");

    f.store(seq++, Instant.parse("2026-11-20T12:00:00Z"), 9.0); // a late reading of the signed month
    MonthlyReport changed = report();

    assertThat(changed.contentHash()).isNotEqualTo(r.contentHash());
    assertThat(changed.signatureMatches()).isFalse();
    String stale = ReportFixture.text(MonthlyDocuments.pdf(changed, new Words(Language.EN, ZoneOffset.UTC),
        f.clock.millis())).replace("\n", " ");
    assertThat(stale).contains("Signed by ana").contains("this signature no longer matches the report")
        .contains(changed.contentHash());
  }

  @Test
  void signing_isRefused_withoutTheStatement_forAMonthNotOver_orWhenTheDataChangedWhileReading() {
    ReportSigner signer = new ReportSigner(f.store, f.clock);
    MonthlyReport r = report();

    assertThat(signer.sign(r, "ana", "s", false, "", r.contentHash())).isInstanceOfSatisfying(
        ReportSigner.Refused.class, x -> assertThat(x.reasons()).containsExactly("report.refused.statement"));
    assertThat(signer.sign(r, "ana", "s", true, "", "0".repeat(64))).isInstanceOfSatisfying(
        ReportSigner.Refused.class, x -> assertThat(x.reasons()).containsExactly("report.refused.changed"));
    MonthlyReport december = MonthlyReport.of(fridge, YearMonth.of(2026, 12), ZoneOffset.UTC, f.store, f.fleet,
        f.clock.millis(), p -> { });
    assertThat(december.complete()).isFalse();
    assertThat(signer.sign(december, "ana", "s", true, "", december.contentHash())).isInstanceOfSatisfying(
        ReportSigner.Refused.class, x -> assertThat(x.reasons()).containsExactly("report.refused.month"));
    assertThat(f.store.signatures(fridge.id(), "2026-11")).isEmpty();
    assertThat(f.store.lastAuditEntry("report.signed")).isEmpty();
  }

  static AuditReport verify(GatewayStore store) {
    AuditVerifier v = new AuditVerifier();
    GatewayStore.scanAuditTrail(store.database(), v::accept);
    return v.report();
  }
}
