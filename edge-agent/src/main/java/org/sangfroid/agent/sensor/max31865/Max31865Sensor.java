package org.sangfroid.agent.sensor.max31865;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.agent.sensor.TemperatureSensor;
import org.sangfroid.agent.sensor.bus.BusException;
import org.sangfroid.agent.sensor.bus.Pause;
import org.sangfroid.agent.sensor.bus.SpiPort;
import org.sangfroid.agent.sensor.rtd.CallendarVanDusen;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PT100 or PT1000 probe read through a Maxim MAX31865 RTD-to-digital converter on SPI.
 *
 * <p><b>Wiring</b> (Raspberry Pi, SPI0; enable it with {@code dtparam=spi=on} in
 * {@code /boot/firmware/config.txt}): VIN to 3.3 V (pin 1), GND to pin 6, SCLK to GPIO11
 * (pin 23), SDO to MISO GPIO9 (pin 21), SDI to MOSI GPIO10 (pin 19), CS to CE0 GPIO8 (pin 24)
 * for chip select 0 or CE1 GPIO7 (pin 26) for chip select 1. DRDY stays unconnected: the
 * driver waits the longest conversion time instead. The probe goes to FORCE+/RTDIN+ and
 * RTDIN-/FORCE- as the board's 2-, 3- or 4-wire jumpers say; set {@link Settings#wires()} to
 * match. The reference resistor is 430 Ω on common PT100 boards and 4300 Ω on PT1000 boards
 * (the datasheet's examples use 400 Ω and 4 kΩ). With 3 or 4 wires, a 10 MΩ resistor from
 * RTDIN+ to BIAS makes a broken RTDIN+ lead read full scale (open) instead of noise.
 *
 * <p><b>One read</b> ({@link #read()}, about 80 ms), all in 1-shot mode so the bias current
 * flows only while measuring (it would otherwise warm the probe):
 *
 * <ol>
 *   <li>write the fault thresholds (the −200 °C and +850 °C ends of IEC 60751), then the
 *       configuration with VBIAS on and the fault status cleared; read both back: a chip that
 *       does not echo them is absent (MISO floats to {@code 0xFF} or {@code 0x00});
 *   <li>wait 10 ms for the input filter to charge;
 *   <li>run the automatic fault-detection cycle (it tests the FORCE-/REFIN- voltages, which a
 *       plain conversion cannot: a FORCE- lead that is open still gives data that "appear
 *       valid");
 *   <li>start a 1-shot conversion and wait 66 ms, the longest 1-shot conversion (50 Hz filter);
 *   <li>read the 15-bit RTD ratio and the fault status; ohms = ratio × R<sub>ref</sub> / 32768,
 *       converted by {@link CallendarVanDusen} (with the C term below 0 °C);
 *   <li>switch VBIAS off, clearing the fault status if a fault was latched.
 * </ol>
 *
 * <p><b>Faults</b> (register 07h, datasheet tables 10–12) map to a quality (see
 * {@link #classify}):
 *
 * <ul>
 *   <li>D5 REFIN- &gt; 0.85 × VBIAS (open RTD element), D4 REFIN- &lt; 0.85 × VBIAS and D3
 *       RTDIN- &lt; 0.85 × VBIAS (FORCE- open): {@link Quality#DISCONNECTED}, the probe or a lead
 *       is not connected;
 *   <li>D7 RTD high threshold: {@link Quality#DISCONNECTED} when the ratio is full scale (what an
 *       open element gives), else {@link Quality#OUT_OF_RANGE} (above +850 °C, or the wrong
 *       probe or reference resistor);
 *   <li>D6 RTD low threshold (near zero: the element or RTDIN+ shorted) and D2 over/under
 *       voltage (an input beyond the supply rails: a lead touching a supply or ground; the data
 *       are indeterminate): {@link Quality#OUT_OF_RANGE}: something answers, but not a probe in
 *       range, so the value is withheld;
 *   <li>the fault bit of the RTD LSB without a status bit: {@link Quality#OUT_OF_RANGE}.
 * </ul>
 *
 * <p>A failed bus or an absent chip reads {@link Quality#DISCONNECTED}. Not thread-safe: the
 * sampler reads its probes from one thread.
 */
public final class Max31865Sensor implements TemperatureSensor {
  /** The MAX31865 supports SPI modes 1 and 3 and up to 5 MHz; 1 MHz leaves margin for long wires. */
  public static final int SPI_MODE = 1;
  public static final int SPI_CLOCK_HZ = 1_000_000;

  // Registers: read at the address as is, written at the address with bit 7 set.
  static final int REG_CONFIG = 0x00;
  static final int REG_RTD_MSB = 0x01;
  static final int REG_HIGH_FAULT_MSB = 0x03;
  static final int REG_FAULT_STATUS = 0x07;
  static final int WRITE = 0x80;

  // Configuration register (00h) bits.
  static final int BIAS = 0x80;
  static final int ONE_SHOT = 0x20;
  static final int THREE_WIRE = 0x10;
  static final int FAULT_CYCLE_AUTO = 0x04;
  static final int FAULT_CYCLE_BITS = 0x0C;
  static final int FAULT_CLEAR = 0x02;
  static final int FILTER_50HZ = 0x01;

  // Fault status register (07h) bits.
  static final int RTD_HIGH = 0x80;
  static final int RTD_LOW = 0x40;
  static final int REFIN_HIGH = 0x20;
  static final int REFIN_LOW_FORCE_OPEN = 0x10;
  static final int RTDIN_LOW_FORCE_OPEN = 0x08;
  static final int OVER_UNDER_VOLTAGE = 0x04;

  /** The 15-bit ratio at full scale: what an open element reads. */
  static final int FULL_SCALE = 0x7FFF;
  private static final double RATIO_STEPS = 32768.0;

  /** VBIAS on to conversion: 10.5 time constants of the input filter and then some. */
  static final Duration BIAS_SETTLE = Duration.ofMillis(10);
  /** The automatic fault cycle takes a few hundred microseconds; poll each millisecond. */
  static final Duration FAULT_CYCLE_POLL = Duration.ofMillis(1);
  static final int FAULT_CYCLE_MAX_POLLS = 5;
  /** The longest 1-shot conversion (50 Hz filter); the 60 Hz filter is faster. */
  static final Duration CONVERSION = Duration.ofMillis(66);

  private static final Logger log = LoggerFactory.getLogger(Max31865Sensor.class);

  private final String id;
  private final SpiPort spi;
  private final Settings settings;
  private final Pause pause;
  private final int config;
  private final byte[] thresholds;
  private Quality last = Quality.OK;

  /**
   * How the chip and probe are set up.
   *
   * @param wires 2, 3 or 4: how the probe is connected (3 turns on lead compensation)
   * @param curve the probe: {@link CallendarVanDusen#PT100} or {@link CallendarVanDusen#PT1000}
   * @param referenceOhms the board's reference resistor R<sub>ref</sub>, from 2 to 10 × R0
   * @param mainsHz 50 or 60: the mains frequency the chip's filter rejects
   */
  public record Settings(int wires, CallendarVanDusen curve, double referenceOhms, int mainsHz) {
    public Settings {
      Checks.require(wires >= 2 && wires <= 4, "wires", wires, "be 2, 3 or 4");
      Checks.requireNonNull("curve", curve);
      // Boards use 4 × R0 (400/430 Ω, 4000/4300 Ω): outside 2..10 × R0 is a typo, and the ratio
      // would saturate or lose resolution.
      Checks.require(referenceOhms >= 2 * curve.r0() && referenceOhms <= 10 * curve.r0(), "rRef", referenceOhms,
          String.format(Locale.ROOT, "be from %.0f to %.0f ohms for a %s (2 to 10 × R0)",
              2 * curve.r0(), 10 * curve.r0(), curve.name()));
      Checks.require(mainsHz == 50 || mainsHz == 60, "mainsHz", mainsHz, "be 50 or 60");
    }

    /** The reference resistor of common boards: 430 Ω for a PT100, 4300 Ω for a PT1000. */
    public static double defaultReferenceOhms(CallendarVanDusen curve) {
      return 4.3 * curve.r0();
    }
  }

  /**
   * @param id the probe's id in the configuration
   * @param spi the chip, opened in {@link #SPI_MODE} at {@link #SPI_CLOCK_HZ}
   * @param pause waits while the chip settles and converts; {@link Pause#SLEEP} in production
   */
  public Max31865Sensor(String id, SpiPort spi, Settings settings, Pause pause) {
    this.id = Checks.requireId("sensor", id);
    this.spi = Checks.requireNonNull("spi", spi);
    this.settings = Checks.requireNonNull("settings", settings);
    this.pause = Checks.requireNonNull("pause", pause);
    this.config = (settings.wires() == 3 ? THREE_WIRE : 0) | (settings.mainsHz() == 50 ? FILTER_50HZ : 0);
    // One step beyond each end of the curve, so every ratio the curve converts passes the chip.
    double steps = RATIO_STEPS / settings.referenceOhms();
    int high = (int) Math.min(FULL_SCALE, Math.ceil(settings.curve().maxOhms() * steps) + 1);
    int low = (int) Math.max(0, Math.floor(settings.curve().minOhms() * steps) - 1);
    // Threshold registers hold the 15-bit ratio in bits 15..1, like the RTD registers.
    this.thresholds = new byte[] {
        (byte) (high >> 7), (byte) (high << 1), (byte) (low >> 7), (byte) (low << 1)};
  }

  @Override
  public String id() {
    return id;
  }

  /** The settings this probe runs with. */
  public Settings settings() {
    return settings;
  }

  @Override
  public SensorReading read() {
    Measurement m = new Measurement();
    try {
      measure(m);
    } catch (BusException e) {
      m.fail(Quality.DISCONNECTED, "SPI transfer failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      m.fail(Quality.DISCONNECTED, "interrupted while the converter was measuring");
    } finally {
      biasOff(m.faultLatched);
    }
    report(m);
    return m.reading;
  }

  private void measure(Measurement m) throws InterruptedException {
    write(REG_HIGH_FAULT_MSB, thresholds);
    int on = config | BIAS;
    write(REG_CONFIG, (byte) (on | FAULT_CLEAR));
    byte[] echo = read(REG_CONFIG, 7);
    byte[] thresholdEcho = {echo[3], echo[4], echo[5], echo[6]};
    if ((echo[0] & 0xFF) != on || !Arrays.equals(thresholdEcho, thresholds)) {
      m.fail(Quality.DISCONNECTED, "no MAX31865 answers: registers 00h-06h read back "
          + HexFormat.of().formatHex(echo) + ", expected configuration " + hex(on));
      return;
    }
    pause.pause(BIAS_SETTLE);

    write(REG_CONFIG, (byte) (on | FAULT_CYCLE_AUTO));
    boolean done = false;
    for (int i = 0; i < FAULT_CYCLE_MAX_POLLS && !done; i++) {
      pause.pause(FAULT_CYCLE_POLL);
      done = (read(REG_CONFIG, 1)[0] & FAULT_CYCLE_BITS) == 0;
    }
    if (!done) {
      m.fail(Quality.DISCONNECTED, "the fault-detection cycle did not finish");
      return;
    }

    write(REG_CONFIG, (byte) (on | ONE_SHOT));
    pause.pause(CONVERSION);

    byte[] regs = read(REG_RTD_MSB, REG_FAULT_STATUS - REG_RTD_MSB + 1);
    int rtd = (regs[0] & 0xFF) << 8 | (regs[1] & 0xFF);
    int code = rtd >> 1;
    boolean faultBit = (rtd & 1) != 0;
    int status = regs[REG_FAULT_STATUS - REG_RTD_MSB] & 0xFF;
    m.faultLatched = faultBit || status != 0;
    Quality q = classify(status, faultBit, code);
    if (q != Quality.OK) {
      m.fail(q, describe(status, faultBit, code));
      return;
    }
    double ohms = code * settings.referenceOhms() / RATIO_STEPS;
    if (!settings.curve().covers(ohms)) {
      m.fail(Quality.OUT_OF_RANGE, String.format(Locale.ROOT, "%.3f ohms is outside the %s curve", ohms,
          settings.curve().name()));
      return;
    }
    m.reading = SensorReading.ok(settings.curve().temperature(ohms));
  }

  /**
   * The quality a fault status gives (see the class comment for why).
   *
   * @param status the fault status register (07h)
   * @param faultBit bit 0 of the RTD LSB register (02h)
   * @param code the 15-bit RTD ratio
   */
  static Quality classify(int status, boolean faultBit, int code) {
    if ((status & (REFIN_HIGH | REFIN_LOW_FORCE_OPEN | RTDIN_LOW_FORCE_OPEN)) != 0) {
      return Quality.DISCONNECTED;
    }
    if ((status & RTD_HIGH) != 0) {
      return code >= FULL_SCALE ? Quality.DISCONNECTED : Quality.OUT_OF_RANGE;
    }
    if ((status & (RTD_LOW | OVER_UNDER_VOLTAGE)) != 0 || faultBit) {
      return Quality.OUT_OF_RANGE;
    }
    // Thresholds lost (chip reset between our write and the conversion): full scale is still open.
    return code >= FULL_SCALE ? Quality.DISCONNECTED : Quality.OK;
  }

  /** The fault status in words, for the log. */
  static String describe(int status, boolean faultBit, int code) {
    List<String> parts = new ArrayList<>();
    if ((status & RTD_HIGH) != 0) {
      parts.add("RTD high threshold" + (code >= FULL_SCALE ? " at full scale (open RTD element)" : ""));
    }
    if ((status & RTD_LOW) != 0) {
      parts.add("RTD low threshold (shorted RTD element)");
    }
    if ((status & REFIN_HIGH) != 0) {
      parts.add("REFIN- > 0.85 x VBIAS (open RTD element)");
    }
    if ((status & REFIN_LOW_FORCE_OPEN) != 0) {
      parts.add("REFIN- < 0.85 x VBIAS (FORCE- open)");
    }
    if ((status & RTDIN_LOW_FORCE_OPEN) != 0) {
      parts.add("RTDIN- < 0.85 x VBIAS (FORCE- open)");
    }
    if ((status & OVER_UNDER_VOLTAGE) != 0) {
      parts.add("over/under voltage on an input");
    }
    if (parts.isEmpty() && faultBit) {
      parts.add("fault bit set without a fault status");
    }
    if (parts.isEmpty() && code >= FULL_SCALE) {
      parts.add("full-scale ratio (open RTD element)");
    }
    return "fault status " + hex(status) + ": " + String.join(", ", parts);
  }

  /** VBIAS off between reads; clears the latched fault status if this read saw one. */
  private void biasOff(boolean clearFault) {
    try {
      write(REG_CONFIG, (byte) (config | (clearFault ? FAULT_CLEAR : 0)));
    } catch (BusException e) {
      log.debug("{}: could not switch VBIAS off: {}", id, e.getMessage());
    }
  }

  private void write(int register, byte... data) {
    byte[] tx = new byte[data.length + 1];
    tx[0] = (byte) (register | WRITE);
    System.arraycopy(data, 0, tx, 1, data.length);
    spi.transfer(tx);
  }

  /** Reads {@code count} registers from {@code register} on (the chip auto-increments). */
  private byte[] read(int register, int count) {
    byte[] tx = new byte[count + 1];
    tx[0] = (byte) register;
    byte[] rx = spi.transfer(tx);
    if (rx.length != tx.length) {
      throw new BusException("SPI transfer returned " + rx.length + " bytes for " + tx.length);
    }
    return Arrays.copyOfRange(rx, 1, rx.length);
  }

  /** Logs when the probe's state changes, not on every tick. */
  private void report(Measurement m) {
    Quality q = m.reading.quality();
    if (q != last) {
      if (q == Quality.OK) {
        log.info("{} ({} on MAX31865) reads again: {} °C", id, settings.curve().name(),
            String.format(Locale.ROOT, "%.2f", m.reading.celsius()));
      } else {
        log.warn("{} ({} on MAX31865) is {}: {}", id, settings.curve().name(), q.wire(), m.why);
      }
      last = q;
    } else if (q != Quality.OK) {
      log.debug("{} still {}: {}", id, q.wire(), m.why);
    }
  }

  private static String hex(int b) {
    return String.format(Locale.ROOT, "0x%02x", b & 0xFF);
  }

  /** What one read found, filled in as it goes. */
  private static final class Measurement {
    SensorReading reading = SensorReading.fault(Quality.DISCONNECTED);
    String why = "";
    boolean faultLatched;

    void fail(Quality quality, String reason) {
      reading = SensorReading.fault(quality);
      why = reason;
    }
  }

  @Override
  public String toString() {
    return "MAX31865 " + settings.curve().name() + " " + id;
  }
}
