package org.sangfroid.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sangfroid.gateway.Fixtures.T0;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.user.Language;

/** Issue 5, reports, acceptance 3: the excursion report read back from the PDF and the CSV. */
class ExcursionReportTest {
  @TempDir Path dir;
  private ReportFixture f;
  private AlarmRow alarm;
  private ExcursionReport report;

  @BeforeEach
  void excursion() {
    f = new ReportFixture(dir);
    alarm = f.closedExcursion();
    report = ExcursionReport.of(alarm, f.store, f.fleet, f.clock.millis());
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void facts_peakDurationAndTimeBeyondTheLimit_comeFromTheReadings() {
    assertThat(report.peak().getAsDouble()).isEqualTo(8.1);
    assertThat(report.durationMillis()).isEqualTo(Duration.ofMinutes(20).toMillis());
    assertThat(report.exposureMillis()).as("7.0, 7.4 and 8.1 °C stand 20 min beyond +6 °C")
        .isEqualTo(Duration.ofMinutes(20).toMillis());
    assertThat(report.episodes()).isEqualTo(1);
    assertThat(report.readings()).hasSize(8);
    assertThat(report.history()).extracting(h -> h.event()).containsExactly("raised", "cleared", "acknowledged",
        "closed");
  }

  @Test
  void pdf_inEnglish_namesTheUnitPeakDurationPeopleCommentAndDisposition() throws IOException {
    byte[] pdf = ExcursionDocuments.pdf(report, new Words(Language.EN, ZoneOffset.UTC), f.clock.millis());

    String text = ReportFixture.text(pdf);
    assertThat(text).contains("Excursion report — alarm #" + alarm.id())
        .contains("Red cell fridge 1 (rbc-fridge-1)")
        .contains("Casablanca regional transfusion centre")
        .contains("from 2.0 °C to 6.0 °C")
        .contains("Peak 8.1 °C")
        .contains("Duration 20 min")
        .contains("Time beyond the limit 20 min")
        .contains("Alarm limit > 6.0 °C")
        .contains("by ana")
        .contains(ReportFixture.ACK)
        .contains(ReportFixture.CAUSE)
        .contains("quarantined")
        .contains("Who did what")
        .contains("Temperatures around the alarm");
    try (PDDocument d = Loader.loadPDF(pdf)) {
      PDFont font = d.getPage(0).getResources().getFont(d.getPage(0).getResources().getFontNames().iterator().next());
      assertThat(font.getName()).as("DejaVu embedded as a subset").contains("DejaVuSans");
      assertThat(font.isEmbedded()).isTrue();
    }
  }

  @Test
  void pdf_inFrench_writesFrenchWordsAndDecimalCommas() {
    byte[] pdf = ExcursionDocuments.pdf(report, new Words(Language.FR, ZoneOffset.UTC), f.clock.millis());

    assertThat(ReportFixture.text(pdf)).contains("Rapport d'excursion — alarme n° " + alarm.id())
        .contains("Pic 8,1 °C")
        .contains("de 2,0 °C à 6,0 °C")
        .contains("Durée 20 min")
        .contains("Température haute")
        .contains("mis en quarantaine")
        .contains("Qui a fait quoi")
        .contains("par ana");
  }

  @Test
  void pdf_ofAFreezer_drawsMinusSignsAndLessOrEqual_withTheEmbeddedFont() {
    Words w = new Words(Language.FR, ZoneOffset.UTC);
    assertThat(w.celsius(-25)).isEqualTo("−25,0\u00a0°C");
    String range = ExcursionDocuments.range(f.fleet.unit("ffp-freezer-1").orElseThrow().profile(), w);

    assertThat(range).isEqualTo("≤ −25,0\u00a0°C");
    try (Pdf pdf = new Pdf("t", "f")) {
      pdf.paragraph(range + " çàèé", 10);
      assertThat(ReportFixture.text(pdf.finish())).contains("≤ −25,0 °C çàèé");
    }
  }

  @Test
  void csv_inFrench_hasABomSemicolonsDecimalCommasAndEveryReadingOfThePeriod() {
    byte[] csv = ExcursionDocuments.csv(report, new Words(Language.FR, ZoneOffset.UTC), f.clock.millis());

    assertThat(Arrays.copyOf(csv, 3)).containsExactly(0xEF, 0xBB, 0xBF);
    List<String> lines = new String(csv, StandardCharsets.UTF_8).substring(1).lines().toList();
    assertThat(lines.get(0)).isEqualTo("Sangfroid;Rapport d'excursion — alarme n° " + alarm.id());
    assertThat(lines).contains("Pic;8,1 °C".replace(' ', '\u00a0'));
    int table = lines.indexOf("");
    assertThat(lines.get(table + 1)).isEqualTo(
        "Heure (locale);Heure (UTC);Sonde;Température (°C);Qualité;Pendant l'alarme");
    List<String[]> rows = lines.subList(table + 2, lines.size()).stream().map(l -> l.split(";", -1)).toList();
    assertThat(rows).hasSize(8);
    assertThat(rows.get(4)).containsExactly("2026-11-23 10:20:00", "2026-11-23T10:20:00Z", "probe-rbc-fridge-1",
        "8,1", "ok", "oui");
    assertThat(rows.get(0)[5]).isEqualTo("non");
  }

  @Test
  void csv_inEnglish_usesCommasAndDecimalPoints_andQuotesTextWithCommas() {
    byte[] csv = ExcursionDocuments.csv(report, new Words(Language.EN, ZoneOffset.UTC), f.clock.millis());

    List<String> lines = new String(csv, StandardCharsets.UTF_8).substring(1).lines().toList();
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("Acknowledged,\"by ana on ")
        .endsWith(ReportFixture.ACK + "\""));
    assertThat(lines).contains("2026-11-23 10:15:00,2026-11-23T10:15:00Z,probe-rbc-fridge-1,7.4,ok,yes");
    assertThat(T0).isNotNull();
  }
}
