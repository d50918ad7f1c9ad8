package org.sangfroid.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.agent.testkit.BrokerExtension;
import org.sangfroid.agent.testkit.FakeOneWire;
import org.sangfroid.agent.testkit.MutableClock;
import org.sangfroid.agent.testkit.TestBroker;
import org.sangfroid.agent.testkit.TestGateway;
import org.sangfroid.core.wire.AgentStatus;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;

/**
 * Calibrated probes from the config file to the gateway: corrected and raw values, calibration in
 * the status (issue 3).
 */
@ExtendWith(BrokerExtension.class)
class EdgeAgentCalibrationIT {
  private static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");

  @TempDir Path dir;

  @Test
  void calibratedProbes_sendCorrectedAndRawValues_andTheStatusShowsWhoseCalibrationIsOverdue(TestBroker broker)
      throws Exception {
    FakeOneWire wire = new FakeOneWire(dir.resolve("w1"))
        .probe("28-0316a2794aff", 4.125)
        .probe("28-0316a2794b00", -29.5)
        .probe("28-00000b0c1d2e", 4.5);
    Path file = Files.writeString(dir.resolve("agent.yaml"), """
        site: casa-01
        agent: agent-cal
        tick: 1s
        dataDir: %s
        broker:
          url: %s
        onewire:
          path: %s
        units:
          - id: rbc-fridge-1
            profile: RBC_STORE_EU
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
                calibration:
                  certificate: LAB-2025-0142
                  date: 2025-03-01
                  due: 2027-03-01
                  offset: -0.12
              - id: 28-00000b0c1d2e
                type: ds18b20
          - id: ffp-freezer-1
            profile: FFP_CRYO_EU
            sensors:
              - id: 28-0316a2794b00
                type: ds18b20
                calibration:
                  certificate: LAB-2024-0077
                  date: 2025-01-01
                  due: 2026-01-01
                  points:
                    - {raw: -30.0, reference: -30.2}
                    - {raw: 0.0, reference: -0.2}
        """.formatted(dir.resolve("data"), broker.url(), wire.path()));
    MutableClock clock = new MutableClock(NOW);

    try (TestGateway gateway = TestGateway.connect(broker.url(), "casa-01", "agent-cal");
        EdgeAgent agent = EdgeAgent.start(AgentConfig.load(file), clock)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> gateway.readings().size() >= 3);
      long t = NOW.toEpochMilli();
      assertThat(gateway.readings().subList(0, 3)).containsExactly(
          new Reading(1, t, "rbc-fridge-1", "28-0316a2794aff", 4.005, Quality.OK, true, OptionalDouble.of(4.125),
              false),
          new Reading(2, t, "rbc-fridge-1", "28-00000b0c1d2e", 4.5, Quality.OK, true),
          new Reading(3, t, "ffp-freezer-1", "28-0316a2794b00", -29.7, Quality.OK, true, OptionalDouble.of(-29.5),
              false));

      clock.advance(Duration.ofSeconds(61)); // the status is published again every minute
      List<AgentStatus.Probe> expected = List.of(
          new AgentStatus.Probe("rbc-fridge-1", "28-0316a2794aff", Optional.of(Quality.OK),
              OptionalLong.of(Instant.parse("2027-03-01T00:00:00Z").toEpochMilli()), Optional.of("LAB-2025-0142"),
              false),
          new AgentStatus.Probe("rbc-fridge-1", "28-00000b0c1d2e", Optional.of(Quality.OK), OptionalLong.empty(),
              Optional.empty(), false),
          new AgentStatus.Probe("ffp-freezer-1", "28-0316a2794b00", Optional.of(Quality.OK),
              OptionalLong.of(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli()), Optional.of("LAB-2024-0077"),
              true));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(gateway.statuses()).last().extracting(AgentStatus::probes).isEqualTo(expected));
      assertThat(agent.probes()).isEqualTo(expected);
      assertThat(gateway.invalidPayloads()).isEmpty();
    }
  }
}
