package org.sangfroid.agent.alarm.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalInputProvider;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputProvider;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.linuxfs.provider.gpio.digital.LinuxFsDigitalInputProvider;
import com.pi4j.plugin.linuxfs.provider.gpio.digital.LinuxFsDigitalOutputProvider;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.sangfroid.agent.alarm.AlarmOutput;
import org.sangfroid.agent.alarm.AlarmPanel;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.core.check.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buzzer and LED as Pi4J digital outputs, the mute button as a Pi4J digital input, on one
 * context that this object owns and shuts down on {@link #close()}.
 *
 * <p>Outputs: the buzzer pin is HIGH while {@link AlarmPanel#sounding()}, the LED pin while
 * {@link AlarmPanel#alarm()} (muted or not). Warnings drive neither: they are not a reason to
 * sound or light on site, and go to the console. Both pins start and end LOW.
 *
 * <p>Mute button: from the pin to GND, active low, with the pull-up and a
 * {@link #DEBOUNCE_MS} ms debounce asked of the provider; each HIGH→LOW edge is a press.
 */
public final class Pi4jAlarmGpio implements AlarmOutput {
  private static final Logger log = LoggerFactory.getLogger(Pi4jAlarmGpio.class);
  /** Debounce asked of the GPIO provider for the mute button, in milliseconds. */
  public static final long DEBOUNCE_MS = 50;

  private final Context context;
  private final Optional<DigitalOutput> buzzer;
  private final Optional<DigitalOutput> led;
  private final Optional<DigitalInput> button;
  private boolean closed;

  /**
   * Opens the configured pins on {@code context}, which this object then owns.
   *
   * @param outputs the provider opening the buzzer and LED pins, registered in {@code context}
   * @param inputs the provider opening the mute button's pin, registered in {@code context}
   * @param mutePressed called on Pi4J's event thread on each press
   */
  public Pi4jAlarmGpio(Context context, Class<? extends DigitalOutputProvider> outputs,
      Class<? extends DigitalInputProvider> inputs, AgentConfig.LocalAlarm settings, Runnable mutePressed) {
    this.context = Checks.requireNonNull("context", context);
    Checks.requireNonNull("mutePressed", mutePressed);
    DigitalOutputProvider out = context.provider(outputs);
    this.buzzer = settings.buzzerPin().isPresent()
        ? Optional.of(output(context, out, "buzzer", settings.buzzerPin().getAsInt())) : Optional.empty();
    this.led = settings.ledPin().isPresent()
        ? Optional.of(output(context, out, "led", settings.ledPin().getAsInt())) : Optional.empty();
    if (settings.mutePin().isPresent()) {
      DigitalInput in = context.provider(inputs).create(DigitalInput.newConfigBuilder(context)
          .id("sangfroid-alarm-mute").name("Alarm mute button").address(settings.mutePin().getAsInt())
          .pull(PullResistance.PULL_UP).debounce(DEBOUNCE_MS, TimeUnit.MILLISECONDS).build());
      in.addListener(e -> {
        if (e.state() == DigitalState.LOW) {
          mutePressed.run();
        }
      });
      this.button = Optional.of(in);
    } else {
      this.button = Optional.empty();
    }
    log.info("Alarm GPIO on BCM pins: buzzer {}, LED {}, mute button {}", settings.buzzerPin(), settings.ledPin(),
        settings.mutePin());
  }

  private static DigitalOutput output(Context context, DigitalOutputProvider provider, String id, int pin) {
    return provider.create(DigitalOutput.newConfigBuilder(context)
        .id("sangfroid-alarm-" + id).name("Alarm " + id).address(pin)
        .initial(DigitalState.LOW).shutdown(DigitalState.LOW).build());
  }

  /**
   * The pins of {@code settings} on Pi4J's Linux sysfs GPIO providers (no daemon, no root once
   * the service user is in the {@code gpio} group).
   */
  public static Pi4jAlarmGpio linuxFs(AgentConfig.LocalAlarm settings, Runnable mutePressed) {
    Context context = Pi4J.newContextBuilder()
        .noAutoDetect()
        .add(LinuxFsDigitalOutputProvider.newInstance(), LinuxFsDigitalInputProvider.newInstance())
        .disableShutdownHook()
        .build();
    try {
      return new Pi4jAlarmGpio(context, LinuxFsDigitalOutputProvider.class, LinuxFsDigitalInputProvider.class,
          settings, mutePressed);
    } catch (RuntimeException e) {
      context.shutdown();
      throw e;
    }
  }

  /** The mute button, if configured (for the agent's self-test and tests). */
  public Optional<DigitalInput> button() {
    return button;
  }

  @Override
  public synchronized void show(AlarmPanel panel) {
    if (closed) {
      return;
    }
    buzzer.ifPresent(p -> p.state(panel.sounding() ? DigitalState.HIGH : DigitalState.LOW));
    led.ifPresent(p -> p.state(panel.alarm() ? DigitalState.HIGH : DigitalState.LOW));
  }

  /** Turns both outputs LOW and shuts the context down. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      buzzer.ifPresent(DigitalOutput::low);
      led.ifPresent(DigitalOutput::low);
    } catch (RuntimeException e) {
      log.warn("Alarm outputs could not be turned off: {}", e.toString());
    }
    try {
      context.shutdown();
    } catch (RuntimeException e) {
      log.warn("Pi4J GPIO context did not shut down cleanly: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "GPIO alarm (buzzer " + buzzer.map(DigitalOutput::address).map(String::valueOf).orElse("-")
        + ", LED " + led.map(DigitalOutput::address).map(String::valueOf).orElse("-") + ")";
  }
}
