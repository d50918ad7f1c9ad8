package org.sangfroid.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.agent.sensor.bus.I2cDevice;
import org.sangfroid.agent.sensor.bus.SpiDevice;
import org.sangfroid.agent.sensor.rtd.CallendarVanDusen;
import org.sangfroid.agent.sensor.sht.ShtSensor;
import org.sangfroid.agent.testkit.BrokerExtension;
import org.sangfroid.agent.testkit.FakeBuses;
import org.sangfroid.agent.testkit.FakeMax31865;
import org.sangfroid.agent.testkit.FakeOneWire;
import org.sangfroid.agent.testkit.FakeSht;
import org.sangfroid.agent.testkit.FakeTime;
import org.sangfroid.agent.testkit.MutableClock;
import org.sangfroid.agent.testkit.TestBroker;
import org.sangfroid.agent.testkit.TestGateway;
import org.sangfroid.core.wire.AgentStatus;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;

/** The whole agent from its config file: fake 1-Wire tree → SQLite outbox → real broker → test gateway. */
@ExtendWith(BrokerExtension.class)
class EdgeAgentIT {
  private static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");

  @TempDir Path dir;

  @Test
  void start_configuredProbes_readingsReachTheGatewayAndLeaveTheOutboxOnAck(TestBroker broker) throws Exception {
    FakeOneWire wire = new FakeOneWire(dir.resolve("w1"))
        .probe("28-0316a2794aff", 4.25)
        .probe("28-00000b0c1d2e", -30.5);
    Path file = Files.writeString(dir.resolve("agent.yaml"), """
        site: casa-01
        agent: agent-e2e
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
              - id: 28-0316a2794b00
                type: ds18b20
          - id: ffp-freezer-1
            profile: FFP_CRYO_EU
            sensors:
              - id: 28-00000b0c1d2e
                type: ds18b20
        """.formatted(dir.resolve("data"), broker.url(), wire.path()));
    MutableClock clock = new MutableClock(NOW);

    try (TestGateway gateway = TestGateway.connect(broker.url(), "casa-01", "agent-e2e")) {
      EdgeAgent agent = EdgeAgent.start(AgentConfig.load(file), clock);
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.readings().size() >= 6);
        List<Reading> first = gateway.readings().subList(0, 3);
        assertThat(first).containsExactly(
            new Reading(1, NOW.toEpochMilli(), "rbc-fridge-1", "28-0316a2794aff", 4.25, Quality.OK, true),
            new Reading(2, NOW.toEpochMilli(), "rbc-fridge-1", "28-0316a2794b00", Double.NaN, Quality.DISCONNECTED, true),
            new Reading(3, NOW.toEpochMilli(), "ffp-freezer-1", "28-00000b0c1d2e", -30.5, Quality.OK, true));
        assertThat(gateway.statuses()).first().extracting(AgentStatus::online, AgentStatus::version)
            .containsExactly(true, EdgeAgent.version());
        assertThat(agent.outboxFile()).isEqualTo(dir.resolve("data/outbox.db")).exists();
        assertThat(agent.outboxDepth()).isGreaterThanOrEqualTo(6);

        gateway.ack(6);

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.ackedUpTo() == 6);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
            assertThat(agent.meters().counter("sangfroid.agent.readings.acked").count()).isEqualTo(6.0));

        agent.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> !gateway.statuses().get(gateway.statuses().size() - 1).online());
        // Stopped: the depth no longer moves, so the gauge can be compared exactly.
        assertThat(agent.meters().get("sangfroid.agent.outbox.depth").gauge().value())
            .isEqualTo((double) agent.outboxDepth());
      } finally {
        agent.close();
      }
    }
  }

  @Test
  void start_pt100AndShtOnFakeBuses_readingsReachTheGateway(TestBroker broker) throws Exception {
    FakeTime time = new FakeTime();
    FakeMax31865 freezerProbe = new FakeMax31865(time, 430).resistance(CallendarVanDusen.PT100.resistance(-80));
    FakeSht roomSensor = new FakeSht(time, ShtSensor.Model.SHT3X).raw(0x47AE, 0x8000); // 4.0005 °C
    FakeBuses buses = new FakeBuses()
        .plug(new SpiDevice(0, 0), freezerProbe)
        .plug(new I2cDevice(1, 0x45), roomSensor);
    Path file = Files.writeString(dir.resolve("agent.yaml"), """
        site: casa-01
        agent: agent-pt
        tick: 1s
        dataDir: %s
        broker:
          url: %s
        units:
          - id: ult-freezer-1
            profile: FFP_US
            sensors:
              - id: ult-1-pt100
                type: max31865
                wires: 3
                rRef: 430
              - id: ult-1-backup
                type: max31865
                spi:
                  chipSelect: 1
              - id: ult-1-room
                type: sht3x
                address: 0x45
        """.formatted(dir.resolve("data"), broker.url()));

    try (TestGateway gateway = TestGateway.connect(broker.url(), "casa-01", "agent-pt")) {
      try (EdgeAgent agent = EdgeAgent.start(AgentConfig.load(file), new MutableClock(NOW), () -> buses, time)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.readings().size() >= 3);

        List<Reading> first = gateway.readings().subList(0, 3);
        assertThat(first).extracting(Reading::sensor, Reading::quality).containsExactly(
            tuple("ult-1-pt100", Quality.OK),
            tuple("ult-1-backup", Quality.DISCONNECTED),  // nothing answers on chip select 1
            tuple("ult-1-room", Quality.OK));
        assertThat(first.get(0).celsius()).isCloseTo(-80.0, within(0.035));
        assertThat(first.get(2).celsius()).isCloseTo(4.0005, within(0.0001));
        assertThat(agent.outboxDepth()).isGreaterThanOrEqualTo(3);
      }
      assertThat(buses.isClosed()).isTrue();
    }
  }
}
