package org.sangfroid.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code status} says and when it asks for attention, from reports the agent could serve. */
class StatusTextTest {
  private static StatusReport report(String quality, StatusReport.RecoveryState recovery,
      List<StatusReport.UnitAlarm> alarms, boolean muted) {
    return reportOf(new StatusReport.ProbeState("rbc-fridge-1", "28-0316a2794aff", "ds18b20", quality,
        "ok".equals(quality) ? 4.25 : null, quality == null ? null : "2026-01-15T10:04:30Z",
        quality == null ? null : 30L, null, 0, null, null, null), recovery, alarms, muted);
  }

  private static StatusReport reportOf(StatusReport.ProbeState probe, StatusReport.RecoveryState recovery,
      List<StatusReport.UnitAlarm> alarms, boolean muted) {
    return new StatusReport(1, "casa-01", "agent-01", "1.2.0", "2026-01-15T08:00:00Z", "2026-01-15T10:05:00Z",
        new StatusReport.OutboxState("/var/lib/sangfroid/agent/outbox.db", 0, 350_000, null, null, 0, 0, 120, 120,
            List.of(), recovery),
        new StatusReport.Connection("ssl://mqtt.example.org:8883", true, null),
        List.of(probe),
        new StatusReport.LocalAlarm(!alarms.isEmpty() && !muted, muted, alarms));
  }

  private static StatusReport calibrated(boolean overdue) {
    return reportOf(new StatusReport.ProbeState("rbc-fridge-1", "28-0316a2794aff", "ds18b20", "ok", 4.25,
        "2026-01-15T10:04:30Z", 30L, "2026-01-15T10:04:30Z", 0, "LAB-2025-0142", overdue ? "2026-01-15" : "2027-03-01",
        overdue), null, List.of(), false);
  }

  @Test
  void allWell_saysSoAndAsksForNothing() {
    StatusReport r = report("ok", null, List.of(), false);

    assertThat(StatusText.attention(r)).isEmpty();
    assertThat(StatusText.lines(r)).contains(
        "Broker:      connected to ssl://mqtt.example.org:8883",
        "Outbox:      0 readings waiting for the gateway (at most 350000)",
        "  rbc-fridge-1  28-0316a2794aff  ds18b20   4.250 °C       read 30 s ago",
        "Local alarm: quiet",
        "All is well.");
  }

  @Test
  void notYetRead_notAskingForAttention() {
    StatusReport r = report(null, null, List.of(), false);

    assertThat(StatusText.attention(r)).isEmpty();
    assertThat(StatusText.lines(r)).contains("  rbc-fridge-1  28-0316a2794aff  ds18b20   not read yet");
  }

  @Test
  void missingOutboxAtStartAndMutedAlarm_shownThatWay() {
    StatusReport r = report("ok",
        new StatusReport.RecoveryState("MISSING", null, "the outbox file was missing", 5000, "2026-01-15T08:00:00Z"),
        List.of(new StatusReport.UnitAlarm("rbc-fridge-1", true, List.of("HIGH_TEMPERATURE"))), true);

    assertThat(StatusText.lines(r)).contains(
        "             at this start the outbox file was missing; new readings numbered from seq 5001",
        "Local alarm: ALARM on rbc-fridge-1 (HIGH_TEMPERATURE)",
        "             buzzer muted");
    assertThat(StatusText.attention(r)).containsExactly("unit rbc-fridge-1 is in alarm: HIGH_TEMPERATURE");
  }

  @Test
  void warningOnly_shownButNoAttention() {
    StatusReport r = report("ok", null,
        List.of(new StatusReport.UnitAlarm("rbc-fridge-1", false, List.of("HIGH_WARNING"))), false);

    assertThat(StatusText.lines(r)).contains("Local alarm: warning on rbc-fridge-1 (HIGH_WARNING)")
        .noneMatch(l -> l.contains("buzzer"));
    assertThat(StatusText.attention(r)).isEmpty();
  }

  @Test
  void calibrationDue_shownOnTheProbesLineWithoutAttention() {
    StatusReport r = calibrated(false);

    assertThat(StatusText.lines(r)).contains(
        "  rbc-fridge-1  28-0316a2794aff  ds18b20   4.250 °C       read 30 s ago, calibration due 2027-03-01",
        "All is well.");
    assertThat(StatusText.attention(r)).isEmpty();
  }

  @Test
  void calibrationOverdue_shownAndAsksForAttention() {
    StatusReport r = calibrated(true);

    assertThat(StatusText.lines(r)).contains(
        "  rbc-fridge-1  28-0316a2794aff  ds18b20   4.250 °C       read 30 s ago, CALIBRATION OVERDUE (due 2026-01-15)");
    assertThat(StatusText.attention(r)).containsExactly(
        "probe 28-0316a2794aff of rbc-fridge-1: calibration LAB-2025-0142 was due on 2026-01-15: have it calibrated,"
            + " or replace it");
  }

  @Test
  void age_inUnitsATechnicianReads() {
    assertThat(StatusText.age(59L)).isEqualTo("59 s");
    assertThat(StatusText.age(600L)).isEqualTo("10 min");
    assertThat(StatusText.age(3 * 3600L + 120)).isEqualTo("3 h 2 min");
    assertThat(StatusText.age(2 * 86_400L + 3600)).isEqualTo("2 d 1 h");
  }
}
