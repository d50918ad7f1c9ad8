package org.sangfroid.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.alarm.AlarmGpio;
import org.sangfroid.agent.alarm.pi4j.Pi4jAlarmGpio;
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

  /** Acceptance 4 of issue 3: the local alarm sounds with the broker down. */
  @Test
  void start_brokerDownAndFridgeAboveRangeForTheDelay_buzzerPinHighAndOutboxKeepsReadings() {
    FakeOneWire wire = new FakeOneWire(dir.resolve("w1")).probe("28-0316a2794aff", 8.0);
    AgentConfig config = AgentConfig.parse("agent.yaml", """
        site: casa-01
        agent: agent-01
        tick: 1s
        dataDir: %s
        broker:
          url: tcp://127.0.0.1:1
        onewire:
          path: %s
        units:
          - id: rbc-fridge-1
            profile: RBC_STORE_EU
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
        localAlarm:
          buzzerPin: 17
          ledPin: 27
          mutePin: 22
          mute: 30m
        """.formatted(dir.resolve("data"), wire.path()));
    Context gpioContext = Pi4J.newContextBuilder()
        .noAutoDetect()
        .add(new MockPlatform())
        .add(MockDigitalOutputProvider.newInstance(), MockDigitalInputProvider.newInstance())
        .build();
    AtomicReference<Pi4jAlarmGpio> opened = new AtomicReference<>();
    AlarmGpio gpio = (settings, mute) -> {
      opened.set(new Pi4jAlarmGpio(gpioContext, MockDigitalOutputProvider.class, MockDigitalInputProvider.class,
          settings, mute));
      return opened.get();
    };

    try (EdgeAgent agent = EdgeAgent.start(config, clock, () -> {
      throw new AssertionError("no SPI/I2C probe");
    }, time, gpio)) {
      DigitalOutput buzzer = gpioContext.registry().get("sangfroid-alarm-buzzer");
      DigitalOutput led = gpioContext.registry().get("sangfroid-alarm-led");
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.outboxDepth() >= 1);
      assertThat(buzzer.state()).as("above range, delay not over").isEqualTo(DigitalState.LOW);

      clock.advance(Duration.ofMinutes(6));

      await().atMost(Duration.ofSeconds(10)).until(() -> buzzer.state() == DigitalState.HIGH);
      assertThat(led.state()).isEqualTo(DigitalState.HIGH);
      // The alarm hears a tick before the outbox stores it; the readings follow.
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.outboxDepth() >= 2);

      MockDigitalInput button = (MockDigitalInput) opened.get().button().orElseThrow();
      button.mockState(DigitalState.HIGH); // released: pulled up
      button.mockState(DigitalState.LOW); // pressed: shorted to GND

      await().atMost(Duration.ofSeconds(10)).until(() -> buzzer.state() == DigitalState.LOW);
      assertThat(led.state()).isEqualTo(DigitalState.HIGH);
      assertThat(agent.localAlarm().muted()).isTrue();
      assertThat(agent.ackedUpTo()).isZero();
      assertThat(agent.droppedReadings()).isZero();
      assertThat(agent.outboxDepth()).as("every reading kept for the gateway").isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void start_noLocalAlarmSection_neverOpensGpio() {
    AtomicInteger calls = new AtomicInteger();
    AlarmGpio gpio = (settings, mute) -> {
      calls.incrementAndGet();
      throw new AssertionError("no pin configured");
    };

    try (EdgeAgent agent = EdgeAgent.start(config("""
        - id: 28-0316a2794aff
          type: ds18b20
        """), clock, new CountingFactory(new FakeBuses()), time, gpio)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.outboxDepth() >= 1);
      assertThat(agent.localAlarm().alarm()).isFalse();
    }

    assertThat(calls).hasValue(0);
  }

  @Test
  void start_gpioCannotBeOpened_agentStillSamples() {
    FakeOneWire wire = new FakeOneWire(dir.resolve("w1")).probe("28-0316a2794aff", 4.0);
    AgentConfig config = AgentConfig.parse("agent.yaml", """
        site: casa-01
        agent: agent-01
        dataDir: %s
        broker:
          url: tcp://127.0.0.1:1
        onewire:
          path: %s
        units:
          - id: rbc-fridge-1
            profile: RBC_STORE_EU
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
        localAlarm:
          buzzerPin: 17
        """.formatted(dir.resolve("data"), wire.path()));
    AlarmGpio broken = (settings, mute) -> {
      throw new UnsatisfiedLinkError("no /sys/class/gpio");
    };

    try (EdgeAgent agent = EdgeAgent.start(config, clock, new CountingFactory(new FakeBuses()), time, broken)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.outboxDepth() >= 1);
    }
  }
}
