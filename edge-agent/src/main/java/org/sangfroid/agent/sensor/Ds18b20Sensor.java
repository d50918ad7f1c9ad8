package org.sangfroid.agent.sensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DS18B20 probe read through the Linux {@code w1-therm} sysfs file
 * {@code {bus}/{rom}/w1_slave}, which holds two lines such as:
 *
 * <pre>
 * 72 01 4b 46 7f ff 0e 10 57 : crc=57 YES
 * 72 01 4b 46 7f ff 0e 10 57 t=23125
 * </pre>
 *
 * <p>How the file maps to a quality:
 *
 * <ul>
 *   <li>device folder or file missing, unreadable, or empty: {@link Quality#DISCONNECTED}
 *       (the kernel got no answer from the probe);
 *   <li>scratchpad all {@code ff} with a failed CRC: {@link Quality#DISCONNECTED} (the bus
 *       floated high: nobody answered), and all {@code 00}: {@link Quality#DISCONNECTED} (data
 *       line shorted to ground; its CRC is a valid 00, so it would otherwise read 0 °C);
 *   <li>{@code crc=.. NO} otherwise, or content that does not follow the format:
 *       {@link Quality#CRC_ERROR} (the probe answered but the data cannot be trusted);
 *   <li>{@code t=85000}: {@link Quality#POWER_ON_RESET} (the DS18B20's power-on value, not a
 *       measurement);
 *   <li>below -55 °C or above 125 °C: {@link Quality#OUT_OF_RANGE};
 *   <li>otherwise {@link Quality#OK} with {@code t/1000} °C.
 * </ul>
 *
 * <p>Each {@link #read()} makes the kernel run a conversion: about 750 ms at 12-bit resolution.
 */
public final class Ds18b20Sensor implements TemperatureSensor {
  /** A DS18B20's ROM id as the kernel names its folder: family {@code 28-}, 12 hex digits. */
  public static final Pattern ROM_ID = Pattern.compile("28-[0-9a-f]{12}");
  /** The rule text for {@link #ROM_ID}, for config messages. */
  public static final String ROM_ID_RULE =
      "be a DS18B20 ROM id: '28-' then 12 lowercase hex digits, such as 28-0316a2794aff";

  /** The DS18B20's physical range, from its datasheet. */
  public static final double MIN_CELSIUS = -55.0;
  public static final double MAX_CELSIUS = 125.0;
  /** The scratchpad value after power-on, reported as 85.000 °C. */
  private static final int POWER_ON_MILLIDEGREES = 85_000;

  private static final Logger log = LoggerFactory.getLogger(Ds18b20Sensor.class);
  private static final Pattern CRC_LINE =
      Pattern.compile("((?:[0-9a-f]{2} ){9}): crc=[0-9a-f]{2} (YES|NO)");
  private static final Pattern TEMP_LINE = Pattern.compile("(?:[0-9a-f]{2} ){9}t=(-?\\d{1,7})");

  private final String rom;
  private final Path file;

  /**
   * @param bus the 1-Wire devices folder, normally {@code /sys/bus/w1/devices}
   * @param rom the probe's ROM id, such as {@code 28-0316a2794aff}
   */
  public Ds18b20Sensor(Path bus, String rom) {
    Checks.require(rom != null && ROM_ID.matcher(rom).matches(), "rom", rom, ROM_ID_RULE);
    this.rom = rom;
    this.file = bus.resolve(rom).resolve("w1_slave");
  }

  @Override
  public String id() {
    return rom;
  }

  @Override
  public SensorReading read() {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      log.debug("{} cannot be read: {}", file, e.toString());
      return SensorReading.fault(Quality.DISCONNECTED);
    }
    return parse(text);
  }

  /** Interprets the content of a {@code w1_slave} file (see the class comment). */
  public static SensorReading parse(String text) {
    if (text.isBlank()) {
      return SensorReading.fault(Quality.DISCONNECTED);
    }
    List<String> lines = text.strip().lines().map(String::strip).toList();
    if (lines.size() != 2) {
      return SensorReading.fault(Quality.CRC_ERROR);
    }
    Matcher crc = CRC_LINE.matcher(lines.get(0));
    Matcher temp = TEMP_LINE.matcher(lines.get(1));
    if (!crc.matches() || !temp.matches()) {
      return SensorReading.fault(Quality.CRC_ERROR);
    }
    String scratchpad = crc.group(1).strip();
    if (scratchpad.equals("00 00 00 00 00 00 00 00 00")) {
      return SensorReading.fault(Quality.DISCONNECTED);
    }
    if (crc.group(2).equals("NO")) {
      boolean floating = scratchpad.equals("ff ff ff ff ff ff ff ff ff");
      return SensorReading.fault(floating ? Quality.DISCONNECTED : Quality.CRC_ERROR);
    }
    int milli = Integer.parseInt(temp.group(1));
    if (milli == POWER_ON_MILLIDEGREES) {
      return SensorReading.fault(Quality.POWER_ON_RESET);
    }
    double celsius = milli / 1000.0;
    if (celsius < MIN_CELSIUS || celsius > MAX_CELSIUS) {
      return SensorReading.fault(Quality.OUT_OF_RANGE);
    }
    return SensorReading.ok(celsius);
  }

  @Override
  public String toString() {
    return "DS18B20 " + rom;
  }
}
