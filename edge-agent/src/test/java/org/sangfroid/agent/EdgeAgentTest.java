package org.sangfroid.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.agent.sensor.bus.Buses;
import org.sangfroid.agent.sensor.bus.I2cDevice;
import org.sangfroid.agent.sensor.bus.SpiDevice;
import org.sangfroid.agent.sensor.rtd.CallendarVanDusen;
import org.sangfroid.agent.sensor.sht.ShtSensor;
import org.sangfroid.agent.testkit.FakeBuses;
import org.sangfroid.agent.testkit.FakeMax31865;
import org.sangfroid.agent.testkit.FakeOneWire;
import org.sangfroid.agent.testkit.FakeSht;
import org.sangfroid.agent.testkit.FakeTime;
import org.sangfroid.agent.testkit.MutableClock;

/** How the agent composes its probes with the hardware buses; no broker (it retries in the background). */
class EdgeAgentTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));
  private final FakeTime time = new FakeTime();

  private AgentConfig config(String sensors) {
    FakeOneWire wire = new FakeOneWire(dir.resolve("w1")).probe("28-0316a2794aff", 4.25);
    return AgentConfig.parse("agent.yaml", """
        site: casa-01
        agent: agent-01
        dataDir: %s
        broker:
          url: tcp://127.0.0.1:1
        onewire:
          path: %s
        units:
          - id: ult-freezer-1
            profile: FFP_CRYO_EU
            sensors:
        %s""".formatted(dir.resolve("data"), wire.path(), sensors.indent(6)));
  }

  /** Counts the calls; the agent must call it at most once. */
  private static final class CountingFactory implements Supplier<Buses> {
    final AtomicInteger calls = new AtomicInteger();
    final FakeBuses buses;

    CountingFactory(FakeBuses buses) {
      this.buses = buses;
    }

    @Override
    public Buses get() {
      calls.incrementAndGet();
      return buses;
    }
  }

  @Test
  void start_ds18b20Only_neverOpensTheBuses() {
    CountingFactory factory = new CountingFactory(new FakeBuses());

    try (EdgeAgent agent = EdgeAgent.start(config("""
        - id: 28-0316a2794aff
          type: ds18b20
        """), clock, factory, time)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.outboxDepth() >= 1);
    }

    assertThat(factory.calls).hasValue(0);
    assertThat(factory.buses.isClosed()).isFalse();
  }

  @Test
  void start_probesOnSpiAndI2c_opensTheBusesOnceAndClosesThemOnClose() {
    FakeBuses buses = new FakeBuses()
        .plug(new SpiDevice(0, 0), new FakeMax31865(time, 430).resistance(CallendarVanDusen.PT100.resistance(-80)))
        .plug(new I2cDevice(1, 0x44), new FakeSht(time, ShtSensor.Model.SHT4X));
    CountingFactory factory = new CountingFactory(buses);

    EdgeAgent agent = EdgeAgent.start(config("""
        - id: ult-1-pt100
          type: max31865
        - id: ult-1-pt100-b
          type: max31865
          spi:
            chipSelect: 1
        - id: room-sht
          type: sht4x
        - id: 28-0316a2794aff
          type: ds18b20
        """), clock, factory, time);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.outboxDepth() >= 4);
      assertThat(factory.calls).hasValue(1);
      assertThat(buses.isClosed()).isFalse();
    } finally {
      agent.close();
    }

    assertThat(buses.isClosed()).isTrue();
    assertThat(factory.calls).hasValue(1);
  }

  @Test
  void start_busesCannotBeOpened_agentRunsAndEveryProbeIsStillSampled() {
    AtomicInteger calls = new AtomicInteger();
    Supplier<Buses> broken = () -> {
      calls.incrementAndGet();
      throw new UnsatisfiedLinkError("libpi4j-linuxfs.so: wrong ELF class");
    };

    try (EdgeAgent agent = EdgeAgent.start(config("""
        - id: ult-1-pt100
          type: max31865
        - id: 28-0316a2794aff
          type: ds18b20
        """), clock, broken, time)) {
      // One tick holds both probes: the PT100 as disconnected, the DS18B20 with its value.
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.outboxDepth() >= 2);
    }

    assertThat(calls).hasValue(1);
  }
}
