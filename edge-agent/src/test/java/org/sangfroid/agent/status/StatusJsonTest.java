package org.sangfroid.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /status} serves the JSON databind made of the report's records before (and which
 * {@code sangfroid-agent status} and other readers parse): the same text, byte for byte.
 */
class StatusJsonTest {
  private static final ObjectMapper DATABIND = new ObjectMapper();

  private static StatusReport full() {
    return new StatusReport(1, "casa-01", "agent-01", "1.2.0", "2026-01-15T08:00:00Z", "2026-01-15T10:05:00Z",
        new StatusReport.OutboxState("/var/lib/sangfroid/agent/outbox.db", 12, 350_000, "2026-01-15T10:04:00Z", 60L,
            3, 1, 120, 108, List.of("/var/lib/sangfroid/agent/outbox.db.corrupt-20260115T080000Z", "b\"\\\n\u00e9"),
            new StatusReport.RecoveryState("CORRUPT", "/var/lib/sangfroid/agent/outbox.db.corrupt-20260115T080000Z",
                "does not start with the SQLite header", 99, "2026-01-15T08:00:00Z")),
        new StatusReport.Connection("ssl://mqtt.example.org:8883", false, "connection refused"),
        List.of(new StatusReport.ProbeState("rbc-fridge-1", "28-0316a2794aff", "ds18b20", "ok", 4.25,
                "2026-01-15T10:04:30Z", 30L, "2026-01-15T10:04:30Z", 0, "LAB-2025-0142", "2027-03-01", false),
            new StatusReport.ProbeState("rbc-fridge-1", "28-0316a2794b00", "ds18b20", "disconnected", null,
                "2026-01-15T10:04:30Z", 30L, null, 7, null, null, null),
            new StatusReport.ProbeState("ffp-freezer-1", "28-00000b0c1d2e", "max31865", "ok", -30.0625,
                "2026-01-15T10:04:30Z", 30L, "2026-01-15T10:04:30Z", 0, "LAB-2024-0007", "2026-01-14", true)),
        new StatusReport.LocalAlarm(true, false, List.of(
            new StatusReport.UnitAlarm("rbc-fridge-1", true, List.of("ABSOLUTE_LOW", "PROBE_FAULT")),
            new StatusReport.UnitAlarm("ffp-freezer-1", false, List.of()))));
  }

  private static StatusReport empty() {
    return new StatusReport(1, "casa-01", "agent-01", "1.2.0", "2026-01-15T08:00:00Z", "2026-01-15T10:05:00Z",
        new StatusReport.OutboxState("outbox.db", 0, 350_000, null, null, 0, 0, 0, 0, List.of(), null),
        new StatusReport.Connection("tcp://127.0.0.1:1883", true, null),
        List.of(new StatusReport.ProbeState("rbc-fridge-1", "28-0316a2794aff", "ds18b20", null, null, null, null,
            null, 0, null, null, null)),
        new StatusReport.LocalAlarm(false, false, List.of()));
  }

  @Test
  void of_everyFieldSet_sameBytesAsDatabind() throws Exception {
    byte[] ours = StatusJson.of(full());

    assertThat(new String(ours, StandardCharsets.UTF_8))
        .isEqualTo(new String(DATABIND.writeValueAsBytes(full()), StandardCharsets.UTF_8))
        .contains("\"celsius\":-30.0625", "\"celsius\":null", "\"calibrationOverdue\":true");
    assertThat(DATABIND.readValue(ours, StatusReport.class)).isEqualTo(full());
  }

  @Test
  void of_absentValues_nullsAsDatabindWroteThem() throws Exception {
    assertThat(new String(StatusJson.of(empty()), StandardCharsets.UTF_8))
        .isEqualTo(DATABIND.writeValueAsString(empty()))
        .contains("\"oldestUnsent\":null", "\"recovery\":null", "\"quality\":null", "\"readAgeSeconds\":null");
  }

  @Test
  void error_oneField() throws Exception {
    assertThat(new String(StatusJson.error("only GET is served here"), StandardCharsets.UTF_8))
        .isEqualTo(DATABIND.writeValueAsString(Map.of("error", "only GET is served here")));
  }
}
