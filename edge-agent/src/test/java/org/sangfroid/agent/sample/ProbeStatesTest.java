package org.sangfroid.agent.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.sangfroid.agent.calibration.Calibration;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.agent.sensor.TemperatureSensor;
import org.sangfroid.core.wire.AgentStatus;
import org.sangfroid.core.wire.Quality;

class ProbeStatesTest {
  private static final long DUE = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();

  private record Silent(String id) implements TemperatureSensor {
    @Override
    public SensorReading read() {
      return SensorReading.fault(Quality.DISCONNECTED);
    }
  }

  private final Probe calibrated = new Probe("rbc-fridge-1", new Silent("28-0316a2794aff"), Optional.of(
      new Calibration("LAB-2025-0042", LocalDate.parse("2025-03-01"), LocalDate.parse("2026-03-01"),
          new Calibration.Offset(-0.1))));
  private final Probe plain = new Probe("ffp-freezer-1", new Silent("28-0316a2794b00"));
  private final ProbeStates states = new ProbeStates(List.of(calibrated, plain));

  private static List<Measurement> tick(long t, Quality first, Quality second) {
    return List.of(
        new Measurement(t, "rbc-fridge-1", "28-0316a2794aff", 4.0, first, true),
        new Measurement(t, "ffp-freezer-1", "28-0316a2794b00", -30.0, second, true));
  }

  @Test
  void status_beforeAnyTick_hasCalibrationButNoQuality() {
    assertThat(states.status(DUE - 1)).containsExactly(
        new AgentStatus.Probe("rbc-fridge-1", "28-0316a2794aff", Optional.empty(), OptionalLong.of(DUE),
            Optional.of("LAB-2025-0042"), false),
        new AgentStatus.Probe("ffp-freezer-1", "28-0316a2794b00", Optional.empty(), OptionalLong.empty(),
            Optional.empty(), false));
  }

  @Test
  void status_givesEachProbesLastQuality_andOverdueFromTheDueDate() {
    states.update(tick(DUE - 60_000, Quality.OK, Quality.OK));
    states.update(tick(DUE, Quality.OK, Quality.CRC_ERROR));

    assertThat(states.status(DUE)).extracting(AgentStatus.Probe::quality, AgentStatus.Probe::calibrationOverdue)
        .containsExactly(
            tuple(Optional.of(Quality.OK), true),
            tuple(Optional.of(Quality.CRC_ERROR), false));
    assertThat(states.status(DUE - 1).get(0).calibrationOverdue()).isFalse();
  }

  @Test
  void overdueCalibration_isLoggedOnceADay_onMeasurementTime() {
    assertThat(states.update(tick(DUE - 60_000, Quality.OK, Quality.OK))).isEmpty();
    assertThat(states.update(tick(DUE, Quality.OK, Quality.OK))).containsExactly("28-0316a2794aff");
    assertThat(states.update(tick(DUE + 60_000, Quality.OK, Quality.OK))).isEmpty();
    long nextDay = DUE + Duration.ofDays(1).toMillis();
    assertThat(states.update(tick(nextDay - 1, Quality.OK, Quality.OK))).isEmpty();
    assertThat(states.update(tick(nextDay, Quality.OK, Quality.OK))).containsExactly("28-0316a2794aff");
  }
}
