package org.sangfroid.agent.input.pi4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sangfroid.agent.config.AgentConfig.InputPin;
import org.sangfroid.agent.config.AgentConfig.Level;
import org.sangfroid.agent.config.AgentConfig.Pull;
import org.sangfroid.core.excursion.InputChange;

/** The input pins on Pi4J's mock platform. */
class Pi4jPinReaderTest {
  private final Context context = Pi4J.newContextBuilder()
      .noAutoDetect()
      .add(new MockPlatform())
      .add(MockDigitalInputProvider.newInstance())
      .build();
  private final Pi4jPinReader reader = new Pi4jPinReader(context, MockDigitalInputProvider.class, List.of(
      new InputPin(InputChange.Input.DOOR_OPEN, 5, Level.HIGH, Pull.UP, Duration.ofMillis(200)),
      new InputPin(InputChange.Input.POWER_LOST, 6, Level.LOW, Pull.OFF, Duration.ofMillis(200)),
      new InputPin(InputChange.Input.AGITATOR_STOPPED, 13, Level.HIGH, Pull.DOWN, Duration.ofMillis(200))));

  @AfterEach
  void close() {
    reader.close();
  }

  @Test
  void open_asksEachPinForItsPull() {
    assertThat(List.of(5, 6, 13)).extracting(pin -> context.registry().<DigitalInput>get("sangfroid-input-" + pin)
        .config().pull()).containsExactly(PullResistance.PULL_UP, PullResistance.OFF, PullResistance.PULL_DOWN);
  }

  @Test
  void high_readsThePinsLevel() {
    MockDigitalInput door = context.registry().get("sangfroid-input-5");

    door.mockState(DigitalState.HIGH);
    assertThat(reader.high(5)).isTrue();
    door.mockState(DigitalState.LOW);
    assertThat(reader.high(5)).isFalse();
  }

  @Test
  void high_pinNotOpened_saysWhichAre() {
    assertThatThrownBy(() -> reader.high(7)).hasMessageContaining("[7]").hasMessageContaining("[5, 6, 13]");
  }

  @Test
  void close_shutsTheContextDown() {
    reader.close();
    reader.close();

    assertThat(context.isShutdown()).isTrue();
  }
}
