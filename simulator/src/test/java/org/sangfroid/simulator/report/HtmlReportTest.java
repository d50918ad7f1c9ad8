package org.sangfroid.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlReportTest {
  private final String html = HtmlReport.render(ReportFixture.report(121));

  @Test
  void render_isSelfContained_noScriptNoExternalFile() {
    assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script").doesNotContain("<link")
        .doesNotContain("src=");
    assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://").doesNotContain("https://");
  }

  @Test
  void render_showsTheVerdictAndEachRowOfTheAlarmTable() {
    assertThat(html).contains("<span class=\"verdict FAILED\">FAILED</span> exit code 1")
        .contains("Missing: ABSOLUTE_LOW on fridge-1, expected to start at +1h (within 5m): no ABSOLUTE_LOW was"
            + " raised on fridge-1")
        .contains("<span class=\"ok\">matched</span></td><td>fridge-1</td><td>HIGH_TEMPERATURE</td><td>+35m ±5m</td>"
            + "<td>+36m</td><td>+41m</td><td>6m</td><td>+1h</td>")
        .contains("<span class=\"bad\">unexpected</span></td><td>fridge-1</td><td>PROBE_FAULT</td>");
  }

  @Test
  void render_chartsTheUnitWithLimitsAlarmSpansFaultsAndEvents() {
    assertThat(html).contains("<svg").contains("<title>HIGH_TEMPERATURE 6 °C</title>")
        .contains("<title>HIGH_TEMPERATURE from +36m, raised at +41m</title>")
        .contains("no temperature (probe fault)")
        .contains("<title>door-open from +30m to +50m</title>")
        .contains("<title>expected ABSOLUTE_LOW at +1h ±5m</title>");
  }

  @Test
  void render_escapesNamesFromTheScenario() {
    assertThat(html).contains("Fridge &lt;door&gt; &amp; &quot;quotes&quot;").contains("Fridge &lt;1&gt;")
        .doesNotContain("Fridge <1>");
  }

  @Test
  void render_readingsLost_isAProblem() {
    assertThat(HtmlReport.render(ReportFixture.report(120))).contains("Readings: 121 sent but 120 stored by the gateway");
  }
}
