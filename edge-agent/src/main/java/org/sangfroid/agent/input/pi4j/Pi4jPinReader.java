package org.sangfroid.agent.input.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalInputProvider;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.linuxfs.provider.gpio.digital.LinuxFsDigitalInputProvider;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.agent.input.PinReader;
import org.sangfroid.core.check.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The input pins as Pi4J digital inputs, on one context that this object owns and shuts down on
 * {@link #close()}. Each pin is asked for its configured pull resistor; providers that cannot set
 * it (Linux sysfs) leave it to {@code config.txt} or the wiring.
 */
public final class Pi4jPinReader implements PinReader {
  private static final Logger log = LoggerFactory.getLogger(Pi4jPinReader.class);

  private final Context context;
  private final Map<Integer, DigitalInput> inputs = new TreeMap<>();
  private boolean closed;

  /**
   * Opens {@code pins} on {@code context}, which this object then owns.
   *
   * @param provider the provider opening the pins, registered in {@code context}
   */
  public Pi4jPinReader(Context context, Class<? extends DigitalInputProvider> provider,
      List<AgentConfig.InputPin> pins) {
    this.context = Checks.requireNonNull("context", context);
    DigitalInputProvider in = context.provider(provider);
    for (AgentConfig.InputPin pin : pins) {
      Checks.require(!inputs.containsKey(pin.pin()), "pin", pin.pin(), "be opened once");
      inputs.put(pin.pin(), in.create(DigitalInput.newConfigBuilder(context)
          .id("sangfroid-input-" + pin.pin()).name("Input " + pin.key() + " on GPIO" + pin.pin())
          .address(pin.pin()).pull(pull(pin.pull())).build()));
    }
    log.info("Input GPIO on BCM pins {}", inputs.keySet());
  }

  private static PullResistance pull(AgentConfig.Pull pull) {
    return switch (pull) {
      case UP -> PullResistance.PULL_UP;
      case DOWN -> PullResistance.PULL_DOWN;
      case OFF -> PullResistance.OFF;
    };
  }

  /**
   * {@code pins} on Pi4J's Linux sysfs GPIO input provider (no daemon, no root once the service
   * user is in the {@code gpio} group).
   */
  public static Pi4jPinReader linuxFs(List<AgentConfig.InputPin> pins) {
    Context context = Pi4J.newContextBuilder()
        .noAutoDetect()
        .add(LinuxFsDigitalInputProvider.newInstance())
        .disableShutdownHook()
        .build();
    try {
      return new Pi4jPinReader(context, LinuxFsDigitalInputProvider.class, pins);
    } catch (RuntimeException e) {
      context.shutdown();
      throw e;
    }
  }

  @Override
  public boolean high(int pin) {
    DigitalInput input = inputs.get(pin);
    Checks.require(input != null, "pin", pin, "be one of the opened input pins " + inputs.keySet());
    DigitalState state = input.state();
    if (state == DigitalState.UNKNOWN) {
      throw new IllegalStateException("GPIO" + pin + " reads neither high nor low");
    }
    return state == DigitalState.HIGH;
  }

  /** Shuts the context down, releasing the pins. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      context.shutdown();
    } catch (RuntimeException e) {
      log.warn("Pi4J input context did not shut down cleanly: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "GPIO inputs " + inputs.keySet();
  }
}
