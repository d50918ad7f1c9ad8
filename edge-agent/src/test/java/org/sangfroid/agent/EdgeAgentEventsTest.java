package org.sangfroid.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.alarm.AlarmGpio;
import org.sangfroid.agent.alarm.pi4j.Pi4jAlarmGpio;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.agent.input.InputGpio;
import org.sangfroid.agent.input.pi4j.Pi4jPinReader;
import org.sangfroid.agent.outbox.EventOutbox;
import org.sangfroid.agent.testkit.FakeBuses;
import org.sangfroid.agent.testkit.FakeOneWire;
import org.sangfroid.agent.testkit.FakeTime;
import org.sangfroid.agent.testkit.MutableClock;
import org.sangfroid.core.wire.AgentEvent;
import org.sangfroid.core.wire.AgentEvent.Type;

/**
 * The agent with a door contact on (mock) GPIO and the broker down: the door is an event, the
 * buzzer sounds when it stays open, and a restart closes what it reported (issue 3).
 */
class EdgeAgentEventsTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));
  private final FakeTime time = new FakeTime();
  private final AtomicReference<Context> inputContext = new AtomicReference<>();
  private final AtomicReference<Context> alarmContext = new AtomicReference<>();
  private final AtomicReference<Pi4jAlarmGpio> alarmGpio = new AtomicReference<>();

  private static Context mockContext() {
    return Pi4J.newContextBuilder()
        .noAutoDetect()
        .add(new MockPlatform())
        .add(MockDigitalOutputProvider.newInstance(), MockDigitalInputProvider.newInstance())
        .build();
  }

  private AgentConfig config() {
    FakeOneWire wire = new FakeOneWire(dir.resolve("w1")).probe("28-0316a2794aff", 4.0);
    return AgentConfig.parse("agent.yaml", """
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
            inputs:
              door: {pin: 5, activeWhen: high, debounce: 200ms}
        localAlarm:
          buzzerPin: 17
          ledPin: 27
          mutePin: 22
        """.formatted(dir.resolve("data"), wire.path()));
  }

  /** Starts the agent on fresh mock GPIO contexts, the door pin at {@code door} from the start. */
  private EdgeAgent start(DigitalState door) {
    AlarmGpio alarms = (settings, mute) -> {
      alarmContext.set(mockContext());
      alarmGpio.set(new Pi4jAlarmGpio(alarmContext.get(), MockDigitalOutputProvider.class,
          MockDigitalInputProvider.class, settings, mute));
      return alarmGpio.get();
    };
    InputGpio inputs = pins -> {
      inputContext.set(mockContext());
      Pi4jPinReader reader = new Pi4jPinReader(inputContext.get(), MockDigitalInputProvider.class, pins);
      doorPin().mockState(door);
      return reader;
    };
    return EdgeAgent.start(config(), clock, () -> new FakeBuses(), time, alarms, inputs);
  }

  private MockDigitalInput doorPin() {
    return inputContext.get().registry().get("sangfroid-input-5");
  }

  private DigitalState buzzer() {
    return alarmContext.get().registry().<DigitalOutput>get("sangfroid-alarm-buzzer").state();
  }

  private List<AgentEvent> storedEvents() {
    try (EventOutbox events = EventOutbox.open(dir.resolve("data"))) {
      return events.readAfter(0, 100);
    }
  }

  /** Moves the clock on in small steps until {@code seq} is stored: the input thread polls on its own. */
  private static void advanceUntilEvent(EdgeAgent agent, MutableClock clock, long seq) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(30)).until(() -> {
      clock.advance(Duration.ofMillis(100));
      return agent.lastEventSeq() >= seq;
    });
  }

  /** Issue 3 acceptance 4, for a door: the local alarm sounds with the broker down. */
  @Test
  void doorLeftOpenWithTheBrokerDown_eventStoredBuzzerSoundsAndMuteIsAnEvent() {
    try (EdgeAgent agent = start(DigitalState.LOW)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.outboxDepth() >= 1);
      assertThat(agent.watchingInputs()).isTrue();
      assertThat(agent.lastEventSeq()).as("closed at start, never reported open: nothing to say").isZero();

      doorPin().mockState(DigitalState.HIGH);
      advanceUntilEvent(agent, clock, 1);
      assertThat(buzzer()).as("open, the delay not over").isEqualTo(DigitalState.LOW);

      clock.advance(Duration.ofMinutes(5));

      await().atMost(Duration.ofSeconds(10)).until(() -> buzzer() == DigitalState.HIGH);
      assertThat(agent.localAlarm().alarms("rbc-fridge-1")).extracting(Enum::name).containsExactly("DOOR_OPEN");
      MockDigitalInput button = (MockDigitalInput) alarmGpio.get().button().orElseThrow();
      button.mockState(DigitalState.HIGH);
      button.mockState(DigitalState.LOW);
      await().atMost(Duration.ofSeconds(10)).until(() -> buzzer() == DigitalState.LOW);
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.lastEventSeq() >= 3);
      assertThat(agent.eventsWaiting()).as("kept for the gateway").isEqualTo(3);
      assertThat(agent.ackedEventsUpTo()).isZero();
    }

    assertThat(storedEvents()).extracting(AgentEvent::seq, AgentEvent::type, AgentEvent::active, AgentEvent::detail)
        .containsExactly(
            tuple(1L, Type.DOOR_OPEN, true, ""),
            tuple(2L, Type.LOCAL_ALARM, true, "DOOR_OPEN"),
            tuple(3L, Type.ALARM_MUTED, true, ""));
  }

  @Test
  void doorOpenAtStartThenClosedWhileStopped_bothAreEvents() {
    try (EdgeAgent agent = start(DigitalState.HIGH)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.lastEventSeq() >= 1);
    }
    clock.advance(Duration.ofMinutes(1));

    try (EdgeAgent agent = start(DigitalState.LOW)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.lastEventSeq() >= 2);
    }

    assertThat(storedEvents()).extracting(AgentEvent::type, AgentEvent::active)
        .containsExactly(tuple(Type.DOOR_OPEN, true), tuple(Type.DOOR_OPEN, false));
  }

  @Test
  void restartWithTheDoorStillOpen_alarmAfterTheDelayFromTheFirstOpening() {
    try (EdgeAgent agent = start(DigitalState.HIGH)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.lastEventSeq() >= 1);
      clock.advance(Duration.ofMinutes(3));
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.outboxDepth() >= 2);
    }

    try (EdgeAgent agent = start(DigitalState.HIGH)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.outboxDepth() >= 3);
      assertThat(buzzer()).isEqualTo(DigitalState.LOW);
      clock.advance(Duration.ofMinutes(2));
      await().atMost(Duration.ofSeconds(10)).until(() -> buzzer() == DigitalState.HIGH);
    }

    assertThat(storedEvents()).extracting(AgentEvent::type, AgentEvent::active)
        .as("still open after the restart: not reported twice")
        .containsExactly(tuple(Type.DOOR_OPEN, true), tuple(Type.LOCAL_ALARM, true));
  }

  @Test
  void inputPinsCannotBeOpened_agentStillSamples() {
    AtomicInteger calls = new AtomicInteger();
    InputGpio broken = pins -> {
      calls.incrementAndGet();
      throw new UnsatisfiedLinkError("no /sys/class/gpio");
    };

    try (EdgeAgent agent = EdgeAgent.start(config(), clock, () -> new FakeBuses(), time,
        (settings, mute) -> new Pi4jAlarmGpio(mockContext(), MockDigitalOutputProvider.class,
            MockDigitalInputProvider.class, settings, mute), broken)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.outboxDepth() >= 1);
      assertThat(agent.watchingInputs()).isFalse();
    }
    assertThat(calls).hasValue(1);
  }
}
