package org.sangfroid.agent.discover;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sangfroid.agent.sensor.bus.Buses;
import org.sangfroid.agent.sensor.bus.I2cDevice;
import org.sangfroid.agent.sensor.bus.I2cPort;
import org.sangfroid.agent.sensor.bus.Pause;
import org.sangfroid.agent.sensor.sht.ShtSensor;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;

/**
 * Finds the SHT3x and SHT4x sensors on an I2C bus by asking each address they can have for one
 * measurement in each family's command (SHT3x {@code 0x2400}, SHT4x {@code 0xFD}), through the
 * same {@link I2cPort} seam the driver reads with. Harmless: a
 * single-shot measurement changes no setting, and a device that does not know a command does
 * not acknowledge it. The MAX31865 sits on SPI and is not found here.
 */
public final class I2cDiscovery {
  /** The addresses SHT3x (0x44, 0x45) and SHT4x (0x44 to 0x46) sensors can have, each with its families. */
  public static final Map<Integer, List<ShtSensor.Model>> KNOWN = known();

  private I2cDiscovery() {}

  /**
   * A device that answered a family's measure command.
   *
   * @param measured its measurement: valid, or a CRC error or out-of-range value (it answered, badly)
   */
  public record Found(I2cDevice device, ShtSensor.Model model, ShtSensor.Measured measured) {
    public Found {
      Checks.requireNonNull("device", device);
      Checks.requireNonNull("model", model);
      Checks.requireNonNull("measured", measured);
    }
  }

  /** Asks every known address of I2C bus {@code bus}; about 25 ms per address with nothing there. */
  public static List<Found> scan(Buses buses, int bus, Pause pause) {
    List<Found> found = new ArrayList<>();
    for (Map.Entry<Integer, List<ShtSensor.Model>> e : KNOWN.entrySet()) {
      I2cDevice device = new I2cDevice(bus, e.getKey());
      I2cPort port = buses.i2c(device);  // one port per address: Pi4J registers each device once
      for (ShtSensor.Model model : e.getValue()) {
        ShtSensor.Measured m = ShtSensor.measure(model, port, pause);
        if (m.sample().temperature().quality() != Quality.DISCONNECTED) {
          found.add(new Found(device, model, m));
          break;
        }
      }
    }
    return found;
  }

  private static Map<Integer, List<ShtSensor.Model>> known() {
    Map<Integer, List<ShtSensor.Model>> map = new TreeMap<>();
    for (ShtSensor.Model model : ShtSensor.Model.values()) {
      for (int address : model.addresses()) {
        map.computeIfAbsent(address, a -> new ArrayList<>()).add(model);
      }
    }
    map.replaceAll((a, models) -> List.copyOf(models));
    return Collections.unmodifiableMap(map);
  }
}
