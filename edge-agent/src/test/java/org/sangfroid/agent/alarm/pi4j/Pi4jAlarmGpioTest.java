package org.sangfroid.agent.alarm.pi4j;

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
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sangfroid.agent.alarm.AlarmPanel;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.core.excursion.AlarmKind;

/** The buzzer, LED and mute button on Pi4J's mock platform. */
class Pi4jAlarmGpioTest {
  static final AgentConfig.LocalAlarm PINS = new AgentConfig.LocalAlarm(OptionalInt.of(17), OptionalInt.of(27),
      OptionalInt.of(22), Duration.ofMinutes(30));

  private final Context context = mockContext();
  private final AtomicInteger presses = new AtomicInteger();
  private final Pi4jAlarmGpio gpio = new Pi4jAlarmGpio(context, MockDigitalOutputProvider.class,
      MockDigitalInputProvider.class, PINS, presses::incrementAndGet);

  /** A Pi4J context on the mock platform with only the mock digital I/O providers. */
  static Context mockContext() {
    return Pi4J.newContextBuilder()
        .noAutoDetect()
        .add(new MockPlatform())
        .add(MockDigitalOutputProvider.newInstance(), MockDigitalInputProvider.newInstance())
        .build();
  }

  @AfterEach
  void close() {
    gpio.close();
  }

  private DigitalState pin(String id) {
    return context.registry().<DigitalOutput>get("sangfroid-alarm-" + id).state();
  }

  private static AlarmPanel inAlarm(boolean muted) {
    return new AlarmPanel(Map.of("fridge-1", Set.of(AlarmKind.HIGH_TEMPERATURE)), muted);
  }

  @Test
  void open_noAlarm_bothPinsLow() {
    assertThat(pin("buzzer")).isEqualTo(DigitalState.LOW);
    assertThat(pin("led")).isEqualTo(DigitalState.LOW);
  }

  @Test
  void show_alarm_buzzerAndLedHigh() {
    gpio.show(inAlarm(false));

    assertThat(pin("buzzer")).isEqualTo(DigitalState.HIGH);
    assertThat(pin("led")).isEqualTo(DigitalState.HIGH);
  }

  @Test
  void show_alarmMuted_buzzerLowLedHigh() {
    gpio.show(inAlarm(false));
    gpio.show(inAlarm(true));

    assertThat(pin("buzzer")).isEqualTo(DigitalState.LOW);
    assertThat(pin("led")).isEqualTo(DigitalState.HIGH);
  }

  @Test
  void show_warningOnly_bothPinsLow() {
    gpio.show(new AlarmPanel(Map.of("fridge-1", Set.of(AlarmKind.HIGH_WARNING)), false));

    assertThat(pin("buzzer")).isEqualTo(DigitalState.LOW);
    assertThat(pin("led")).isEqualTo(DigitalState.LOW);
  }

  @Test
  void show_alarmThenQuiet_bothPinsLowAgain() {
    gpio.show(inAlarm(false));
    gpio.show(AlarmPanel.QUIET);

    assertThat(pin("buzzer")).isEqualTo(DigitalState.LOW);
    assertThat(pin("led")).isEqualTo(DigitalState.LOW);
  }

  @Test
  void button_pulledLowByPress_callsMuteOncePerPress() {
    MockDigitalInput button = (MockDigitalInput) gpio.button().orElseThrow();
    button.mockState(DigitalState.HIGH);

    button.mockState(DigitalState.LOW);
    button.mockState(DigitalState.HIGH);

    await().atMost(Duration.ofSeconds(5)).until(() -> presses.get() == 1);
    button.mockState(DigitalState.LOW);
    await().atMost(Duration.ofSeconds(5)).until(() -> presses.get() == 2);
  }

  @Test
  void close_alarmOn_pinsTurnedLow() {
    gpio.show(inAlarm(false));
    DigitalOutput buzzer = context.registry().get("sangfroid-alarm-buzzer");

    gpio.close();

    assertThat(buzzer.state()).isEqualTo(DigitalState.LOW);
  }
}
