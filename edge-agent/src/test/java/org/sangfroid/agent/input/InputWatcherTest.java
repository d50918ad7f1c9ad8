package org.sangfroid.agent.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.agent.config.AgentConfig.InputPin;
import org.sangfroid.agent.config.AgentConfig.Level;
import org.sangfroid.agent.config.AgentConfig.Pull;
import org.sangfroid.agent.input.pi4j.Pi4jPinReader;
import org.sangfroid.agent.testkit.MutableClock;
import org.sangfroid.core.excursion.InputChange;

/** Debounced inputs on Pi4J's mock GPIO, polled by hand on a hand-moved clock. */
class InputWatcherTest {
  private static final Instant T0 = Instant.parse("2026-01-15T08:00:00Z");
  private static final InputPin DOOR =
      new InputPin(InputChange.Input.DOOR_OPEN, 5, Level.HIGH, Pull.UP, Duration.ofMillis(200));
  private static final InputPin POWER =
      new InputPin(InputChange.Input.POWER_LOST, 6, Level.LOW, Pull.OFF, Duration.ofMillis(200));

  private final MutableClock clock = new MutableClock(T0);
  private final Context context = Pi4J.newContextBuilder()
      .noAutoDetect()
      .add(new MockPlatform())
      .add(MockDigitalInputProvider.newInstance())
      .build();
  private final List<InputEvent> events = new ArrayList<>();
  private InputWatcher watcher;

  @AfterEach
  void close() {
    if (watcher != null) {
      watcher.close();
    }
    if (!context.isShutdown()) {
      context.shutdown();
    }
  }

  /** Watches {@code pins} of one unit, the mock pins starting at {@code initial}. */
  private void watch(DigitalState initial, InputPin... pins) {
    Pi4jPinReader reader = new Pi4jPinReader(context, MockDigitalInputProvider.class, List.of(pins));
    for (InputPin p : pins) {
      pin(p).mockState(initial);
    }
    watcher = new InputWatcher(List.of(new AgentConfig.Unit("plt-incubator-1", "PLT_STORE", List.of(), List.of(pins))),
        reader, clock, events::add);
  }

  private MockDigitalInput pin(InputPin p) {
    return context.registry().get("sangfroid-input-" + p.pin());
  }

  /** Moves the clock to {@code millis} after T0 and polls. */
  private void pollAt(long millis) {
    clock.advance(Duration.between(clock.instant(), T0.plusMillis(millis)));
    assertThat(watcher.poll()).isTrue();
  }

  private static long at(long millis) {
    return T0.toEpochMilli() + millis;
  }

  @Test
  void firstPoll_doorAlreadyOpen_isAnEventAtStart() {
    watch(DigitalState.HIGH, DOOR);

    pollAt(0);

    assertThat(events).extracting(InputEvent::unit, InputEvent::active, InputEvent::time, InputEvent::first)
        .containsExactly(tuple("plt-incubator-1", true, at(0), true));
    assertThat(events.get(0).change()).isEqualTo(new InputChange(InputChange.Input.DOOR_OPEN, true, at(0)));
  }

  @Test
  void firstPoll_doorClosed_reportedAsTheFirstState() {
    watch(DigitalState.LOW, DOOR);

    pollAt(0);

    assertThat(events).extracting(InputEvent::active, InputEvent::first).containsExactly(tuple(false, true));
  }

  @Test
  void change_heldForTheDebounce_oneEventDatedWhenItBegan() {
    watch(DigitalState.LOW, DOOR);
    pollAt(0);

    pin(DOOR).mockState(DigitalState.HIGH);
    pollAt(1_000);
    pollAt(1_100);
    assertThat(events).as("held 100 ms of 200").hasSize(1);
    pollAt(1_200);
    pollAt(1_300);

    assertThat(events).extracting(InputEvent::active, InputEvent::time, InputEvent::first)
        .containsExactly(tuple(false, at(0), true), tuple(true, at(1_000), false));
  }

  @Test
  void chatterShorterThanTheDebounce_noEvent() {
    watch(DigitalState.LOW, DOOR);
    pollAt(0);

    // A door slammed: the contact bounces for 150 ms, opening and closing, then stays closed.
    for (int t = 1_000; t <= 1_150; t += 30) {
      pin(DOOR).mockState(pin(DOOR).state() == DigitalState.HIGH ? DigitalState.LOW : DigitalState.HIGH);
      pollAt(t);
    }
    pin(DOOR).mockState(DigitalState.LOW);
    for (int t = 1_180; t <= 3_000; t += 20) {
      pollAt(t);
    }

    assertThat(events).extracting(InputEvent::first).containsExactly(true);
  }

  @Test
  void bounceWithinTheDebounce_restartsIt() {
    watch(DigitalState.LOW, DOOR);
    pollAt(0);

    pin(DOOR).mockState(DigitalState.HIGH);
    pollAt(1_000);
    pin(DOOR).mockState(DigitalState.LOW);
    pollAt(1_150);
    pin(DOOR).mockState(DigitalState.HIGH);
    pollAt(1_160);
    pollAt(1_300);
    assertThat(events).as("high again since 1160 ms: only 140 ms").hasSize(1);
    pollAt(1_360);

    assertThat(events.get(1)).extracting(InputEvent::active, InputEvent::time).containsExactly(true, at(1_160));
  }

  @ParameterizedTest(name = "activeWhen {0}: pin {1} -> active {2}")
  @CsvSource({
      "HIGH, HIGH, true",
      "HIGH, LOW,  false",
      "LOW,  LOW,  true",
      "LOW,  HIGH, false",
  })
  void polarity_activeWhenDecidesWhatALevelMeans(Level activeWhen, DigitalState level, boolean active) {
    InputPin power = new InputPin(InputChange.Input.POWER_LOST, 6, activeWhen, Pull.OFF, Duration.ofMillis(200));
    DigitalState other = level == DigitalState.HIGH ? DigitalState.LOW : DigitalState.HIGH;
    watch(other, power);
    pollAt(0);

    pin(power).mockState(level);
    pollAt(500);
    pollAt(700);

    assertThat(events).extracting(InputEvent::active).containsExactly(!active, active);
  }

  @Test
  void twoInputs_eachDebouncedOnItsOwn() {
    watch(DigitalState.HIGH, DOOR, POWER);  // door open, power on (active low)
    pollAt(0);

    pin(POWER).mockState(DigitalState.LOW);  // mains lost
    pollAt(100);
    pin(DOOR).mockState(DigitalState.LOW);   // door closed
    pollAt(250);
    pollAt(450);

    assertThat(events).extracting(e -> e.pin().input(), InputEvent::active, InputEvent::time).containsExactly(
        tuple(InputChange.Input.DOOR_OPEN, true, at(0)),
        tuple(InputChange.Input.POWER_LOST, false, at(0)),
        tuple(InputChange.Input.POWER_LOST, true, at(100)),
        tuple(InputChange.Input.DOOR_OPEN, false, at(250)));
  }

  @Test
  void pinUnreadable_keepsItsStateAndReportsWhenItReadsAgain() {
    AtomicBoolean broken = new AtomicBoolean(true);
    boolean[] level = {true};
    PinReader flaky = pin -> {
      if (broken.get()) {
        throw new IllegalStateException("GPIO5 reads neither high nor low");
      }
      return level[0];
    };
    watcher = new InputWatcher(List.of(new AgentConfig.Unit("u1", "RBC_STORE_EU", List.of(), List.of(DOOR))), flaky,
        clock, events::add);

    pollAt(0);
    pollAt(500);
    assertThat(events).as("no level read yet: nothing to report").isEmpty();

    broken.set(false);
    pollAt(1_000);
    broken.set(true);
    level[0] = false;
    pollAt(1_500);
    pollAt(2_000);

    assertThat(events).extracting(InputEvent::active, InputEvent::time, InputEvent::first)
        .containsExactly(tuple(true, at(1_000), true));
  }

  @Test
  void handlerThrows_laterEventsStillCome() {
    boolean[] high = {false};
    List<InputEvent> seen = new ArrayList<>();
    watcher = new InputWatcher(List.of(new AgentConfig.Unit("u1", "RBC_STORE_EU", List.of(), List.of(DOOR))),
        pin -> high[0], clock, e -> {
          seen.add(e);
          throw new IllegalStateException("disk full");
        });

    pollAt(0);
    high[0] = true;
    pollAt(100);
    pollAt(300);

    assertThat(seen).extracting(InputEvent::active).containsExactly(false, true);
  }

  @Test
  void close_releasesThePinsAndStopsPolling() {
    watch(DigitalState.LOW, DOOR);

    watcher.close();

    assertThat(watcher.poll()).isFalse();
    assertThat(context.isShutdown()).isTrue();
  }
}
