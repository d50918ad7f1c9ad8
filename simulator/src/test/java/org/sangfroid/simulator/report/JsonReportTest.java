package org.sangfroid.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportTest {
  @TempDir Path dir;

  @Test
  void write_givesVerdictMatchesMissingUnexpectedAndCounts() throws Exception {
    Path file = dir.resolve("r.json");
    JsonReport.write(ReportFixture.report(121), file);

    JsonNode r = new ObjectMapper().readTree(file.toFile());

    assertThat(r.get("verdict").asText()).isEqualTo("FAILED");
    assertThat(r.get("exitCode").asInt()).isEqualTo(1);
    assertThat(r.get("scenario").get("start").asText()).isEqualTo("2026-01-05T00:00:00Z");
    JsonNode matched = r.get("alarms").get("matched").get(0);
    assertThat(matched.get("kind").asText()).isEqualTo("HIGH_TEMPERATURE");
    assertThat(matched.get("expectedStart").asText()).isEqualTo("35m");
    assertThat(matched.get("startedAt").asText()).isEqualTo("2026-01-05T00:36:00Z");
    assertThat(matched.get("detectionDelaySeconds").asLong()).isEqualTo(360);
    assertThat(matched.get("clearedAt").asText()).isEqualTo("2026-01-05T01:00:00Z");
    assertThat(r.get("alarms").get("missing").get(0).get("kind").asText()).isEqualTo("ABSOLUTE_LOW");
    JsonNode unexpected = r.get("alarms").get("unexpected").get(0);
    assertThat(unexpected.get("kind").asText()).isEqualTo("PROBE_FAULT");
    assertThat(unexpected.get("clearedAt").isNull()).isTrue();
    assertThat(r.get("readings").get("stored").asLong()).isEqualTo(121);
    assertThat(r.get("readings").get("sha256").asText()).hasSize(64);
    assertThat(r.get("problems")).hasSize(2);
  }
}
