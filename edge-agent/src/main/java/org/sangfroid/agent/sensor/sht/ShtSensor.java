package org.sangfroid.agent.sensor.sht;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.agent.sensor.TemperatureSensor;
import org.sangfroid.agent.sensor.bus.BusException;
import org.sangfroid.agent.sensor.bus.I2cPort;
import org.sangfroid.agent.sensor.bus.Pause;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Sensirion SHT3x or SHT4x temperature and humidity sensor on I2C, measured in single shot.
 *
 * <p><b>Wiring</b> (Raspberry Pi, I2C bus 1; enable it with {@code dtparam=i2c_arm=on} in
 * {@code /boot/firmware/config.txt}, check with {@code i2cdetect -y 1}): VDD to 3.3 V (pin 1;
 * the SHT4x takes 1.08 to 3.6 V and is not 5 V tolerant), GND to pin 6, SDA to GPIO2 (pin 3),
 * SCL to GPIO3 (pin 5); the Pi has 1.8 kΩ pull-ups on both lines. Addresses: SHT3x 0x44 with
 * its ADDR pin low, 0x45 with it high; SHT4x fixed by part number: 0x44 (SHT4x-AD1B), 0x45
 * (SHT40-BD1B), 0x46 (SHT40-CD1B). Range −40 to 125 °C, so not for −80 °C freezers.
 *
 * <p><b>One read</b>: write the measure command (SHT3x {@code 0x2400}: high repeatability,
 * no clock stretching; SHT4x {@code 0xFD}: high precision), wait the longest measurement time
 * (SHT3x 15 ms, SHT4x 8.3 ms, plus margin), read 6 bytes: temperature MSB, LSB, CRC, humidity
 * MSB, LSB, CRC. Each 16-bit word carries a CRC-8 (polynomial 0x31, init 0xFF). T = −45 + 175 ×
 * raw / 65535 °C. Relative humidity is converted and kept in {@link Sample} but not published
 * for now.
 *
 * <p>Qualities: no acknowledge or any bus error: {@link Quality#DISCONNECTED}; a CRC that does
 * not match either word: {@link Quality#CRC_ERROR}; a temperature outside −40..125 °C:
 * {@link Quality#OUT_OF_RANGE}. Not thread-safe: the sampler reads from one thread.
 */
public final class ShtSensor implements TemperatureSensor {
  /** The operating range of both families, from their datasheets. */
  public static final double MIN_CELSIUS = -40.0;
  public static final double MAX_CELSIUS = 125.0;

  private static final Logger log = LoggerFactory.getLogger(ShtSensor.class);

  private final String id;
  private final Model model;
  private final I2cPort i2c;
  private final Pause pause;
  private Quality last = Quality.OK;

  /** The sensor family: its command, timing, addresses and humidity formula. */
  public enum Model {
    /** SHT30/31/35: single shot, high repeatability, no clock stretching; 15 ms max. */
    SHT3X("SHT3x", new byte[] {0x24, 0x00}, Duration.ofMillis(16), Set.of(0x44, 0x45)),
    /** SHT40/41/43/45: measure with high precision; 8.3 ms max. */
    SHT4X("SHT4x", new byte[] {(byte) 0xFD}, Duration.ofMillis(9), Set.of(0x44, 0x45, 0x46));

    private final String label;
    private final byte[] command;
    private final Duration measurement;
    private final Set<Integer> addresses;

    Model(String label, byte[] command, Duration measurement, Set<Integer> addresses) {
      this.label = label;
      this.command = command;
      this.measurement = measurement;
      this.addresses = addresses;
    }

    /** The measure command. */
    public byte[] command() {
      return command.clone();
    }

    /** How long to wait between the command and the read. */
    public Duration measurementTime() {
      return measurement;
    }

    /** The 7-bit addresses this family can have. */
    public Set<Integer> addresses() {
      return addresses;
    }

    /** The usual address, 0x44, for both families. */
    public int defaultAddress() {
      return 0x44;
    }

    /** Relative humidity in %, from the raw word; the SHT4x formula can leave 0..100, so clamp. */
    double humidity(int raw) {
      double rh = this == SHT3X ? 100.0 * raw / 65535.0 : -6.0 + 125.0 * raw / 65535.0;
      return Math.max(0.0, Math.min(100.0, rh));
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /**
   * One measurement: the temperature reading and, when it is OK, the relative humidity in %.
   *
   * @param relativeHumidity present exactly when {@code temperature} is OK
   */
  public record Sample(SensorReading temperature, OptionalDouble relativeHumidity) {
    public Sample {
      Checks.requireNonNull("temperature", temperature);
      Checks.requireNonNull("relativeHumidity", relativeHumidity);
      Checks.require(relativeHumidity.isPresent() == (temperature.quality() == Quality.OK),
          "relativeHumidity", relativeHumidity, "be present exactly when the temperature is ok");
    }

    static Sample fault(Quality quality) {
      return new Sample(SensorReading.fault(quality), OptionalDouble.empty());
    }
  }

  /**
   * @param id the probe's id in the configuration
   * @param i2c the sensor at one of {@code model.addresses()}
   * @param pause waits while the sensor measures; {@link Pause#SLEEP} in production
   */
  public ShtSensor(String id, Model model, I2cPort i2c, Pause pause) {
    this.id = Checks.requireId("sensor", id);
    this.model = Checks.requireNonNull("model", model);
    this.i2c = Checks.requireNonNull("i2c", i2c);
    this.pause = Checks.requireNonNull("pause", pause);
  }

  @Override
  public String id() {
    return id;
  }

  /** The sensor family. */
  public Model model() {
    return model;
  }

  /** The temperature of {@link #sample()}. */
  @Override
  public SensorReading read() {
    return sample().temperature();
  }

  /** Measures temperature and humidity now (about 10–20 ms); blocking, never throws. */
  public Sample sample() {
    Measured m = measure(model, i2c, pause);
    report(m.sample().temperature(), m.why());
    return m.sample();
  }

  /**
   * A measurement and, when it is not valid, why.
   *
   * @param why empty when the sample is valid
   */
  public record Measured(Sample sample, String why) {
    public Measured {
      Checks.requireNonNull("sample", sample);
      Checks.requireNonNull("why", why);
    }
  }

  /**
   * One single-shot measurement of the {@code model} sensor at {@code i2c}, without logging:
   * what {@link #sample()} does before it reports a change. Harmless to a device that is not
   * this model (a command it does not know is not acknowledged), so {@code discover} uses it to
   * find sensors. Blocking, never throws.
   */
  public static Measured measure(Model model, I2cPort i2c, Pause pause) {
    try {
      i2c.write(model.command());
      pause.pause(model.measurementTime());
      byte[] b = i2c.read(6);
      if (crc8(b, 0, 2) != (b[2] & 0xFF) || crc8(b, 3, 2) != (b[5] & 0xFF)) {
        return new Measured(Sample.fault(Quality.CRC_ERROR), "CRC mismatch in " + HexFormat.of().formatHex(b));
      }
      double celsius = -45.0 + 175.0 * word(b, 0) / 65535.0;
      if (celsius < MIN_CELSIUS || celsius > MAX_CELSIUS) {
        return new Measured(Sample.fault(Quality.OUT_OF_RANGE),
            String.format(Locale.ROOT, "%.2f °C is outside %s's range", celsius, model));
      }
      return new Measured(new Sample(SensorReading.ok(celsius), OptionalDouble.of(model.humidity(word(b, 3)))), "");
    } catch (BusException e) {
      return new Measured(Sample.fault(Quality.DISCONNECTED), "no answer on I2C: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Measured(Sample.fault(Quality.DISCONNECTED), "interrupted while the sensor was measuring");
    }
  }

  private static int word(byte[] b, int at) {
    return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
  }

  /**
   * Sensirion's CRC-8: polynomial 0x31 (x⁸ + x⁵ + x⁴ + 1), initial value 0xFF, no reflection,
   * no final XOR. The datasheets' example: {@code 0xBE 0xEF} gives {@code 0x92}.
   */
  public static int crc8(byte[] data, int offset, int length) {
    int crc = 0xFF;
    for (int i = offset; i < offset + length; i++) {
      crc ^= data[i] & 0xFF;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x31) & 0xFF : (crc << 1) & 0xFF;
      }
    }
    return crc;
  }

  /** Logs when the probe's state changes, not on every tick. */
  private void report(SensorReading r, String why) {
    if (r.quality() != last) {
      if (r.quality() == Quality.OK) {
        log.info("{} ({}) reads again: {} °C", id, model, String.format(Locale.ROOT, "%.2f", r.celsius()));
      } else {
        log.warn("{} ({}) is {}: {}", id, model, r.quality().wire(), why);
      }
      last = r.quality();
    } else if (r.quality() != Quality.OK) {
      log.debug("{} still {}: {}", id, r.quality().wire(), why);
    }
  }

  @Override
  public String toString() {
    return model + " " + id;
  }
}
