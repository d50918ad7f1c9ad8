package org.sangfroid.agent.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sangfroid.agent.sensor.bus.BusException;
import org.sangfroid.agent.sensor.bus.SpiPort;

/**
 * A MAX31865 and its probe, behind {@link SpiPort}, behaving as the datasheet describes: eight
 * registers with auto-increment (reads at 0Xh, writes at 8Xh); the configuration bits VBIAS,
 * 1-shot (starts a conversion when the frame ends and self-clears when it is done, 52 ms at
 * 60 Hz or 62.5 ms at 50 Hz), the automatic fault-detection cycle (D3:D2 = 01, self-clears),
 * fault-status clear; the threshold comparisons (≥ high, ≤ low); the fault bit in the RTD LSB;
 * latched fault status until cleared. Time comes from a {@link FakeTime}, so a driver that
 * does not wait reads stale data, as on the real chip.
 *
 * <p>Probe states: a resistance, an open element, a short across the element, an open FORCE-
 * lead (data "appear valid"), an input beyond the rails; or a recorded ADC code. The chip can be
 * absent (MISO floats high or low) and the bus can fail.
 */
public final class FakeMax31865 implements SpiPort {
  /** Filter capacitors need a moment after VBIAS comes on; a conversion before that reads low. */
  static final Duration SETTLE = Duration.ofMillis(2);
  static final Duration FAULT_CYCLE = Duration.ofNanos(600_000);

  private enum Probe { RESISTANCE, OPEN, SHORT, FORCE_MINUS_OPEN, OVER_VOLTAGE, CODE }

  private final FakeTime time;
  private final double referenceOhms;
  private final int[] reg = new int[8];
  private final List<byte[]> frames = new ArrayList<>();
  private final List<byte[]> responses = new ArrayList<>();
  private Probe probe = Probe.RESISTANCE;
  private double ohms = 100.0;
  private int code;
  private long biasOnAt = -1;
  private long conversionDoneAt = -1;
  private long faultCycleDoneAt = -1;
  private boolean convertedWithoutBias;
  private int conversions;
  private int faultClears;
  private Integer floatingMiso;
  private boolean busFails;

  /** A powered chip with its power-on registers, a probe of 100 Ω, and {@code referenceOhms}. */
  public FakeMax31865(FakeTime time, double referenceOhms) {
    this.time = time;
    this.referenceOhms = referenceOhms;
    reg[3] = 0xFF;
    reg[4] = 0xFF;
  }

  /** A probe of {@code ohms}. */
  public FakeMax31865 resistance(double ohms) {
    this.probe = Probe.RESISTANCE;
    this.ohms = ohms;
    return this;
  }

  /** The converter reads this 15-bit ratio (a recorded or datasheet value). */
  public FakeMax31865 adcCode(int code) {
    this.probe = Probe.CODE;
    this.code = code;
    return this;
  }

  /** The element is open (probe unplugged, broken wire): full scale, and REFIN- near VBIAS. */
  public FakeMax31865 openElement() {
    this.probe = Probe.OPEN;
    return this;
  }

  /** RTDIN+ shorted to RTDIN- (crushed cable): a ratio near zero. */
  public FakeMax31865 shorted() {
    this.probe = Probe.SHORT;
    return this;
  }

  /** The FORCE- lead is open: conversions still give data that look valid (100 Ω here). */
  public FakeMax31865 forceMinusOpen() {
    this.probe = Probe.FORCE_MINUS_OPEN;
    this.ohms = 100.0;
    return this;
  }

  /** An input is beyond the supply rails (a lead touching 5 V): over/under-voltage. */
  public FakeMax31865 overVoltage(double ohms) {
    this.probe = Probe.OVER_VOLTAGE;
    this.ohms = ohms;
    return this;
  }

  /** No chip answers: every byte read is {@code level} (0xFF with a pull-up, 0x00 with a pull-down). */
  public FakeMax31865 absent(int level) {
    this.floatingMiso = level;
    return this;
  }

  /** Power dropped and came back: every register returns to its power-on value. */
  public synchronized FakeMax31865 powerCycle() {
    Arrays.fill(reg, 0);
    reg[3] = 0xFF;
    reg[4] = 0xFF;
    biasOnAt = -1;
    conversionDoneAt = -1;
    faultCycleDoneAt = -1;
    return this;
  }

  /** The bus itself fails (spidev gone). */
  public FakeMax31865 busFails() {
    this.busFails = true;
    return this;
  }

  @Override
  public synchronized byte[] transfer(byte[] tx) {
    if (busFails) {
      throw new BusException("/dev/spidev0.0: No such device");
    }
    frames.add(tx.clone());
    byte[] rx = new byte[tx.length];
    if (floatingMiso != null) {
      Arrays.fill(rx, (byte) (int) floatingMiso);
      return rx;
    }
    update();
    int address = tx[0] & 0x7F;
    boolean write = (tx[0] & 0x80) != 0;
    boolean startConversion = false;
    for (int i = 1; i < tx.length; i++) {
      int r = (address + i - 1) & 0x07;
      if (write) {
        startConversion |= writeRegister(r, tx[i] & 0xFF);
      } else {
        rx[i] = (byte) reg[r];
      }
    }
    if (startConversion) {
      // The conversion starts when CS goes high at the end of the frame.
      convertedWithoutBias = biasOnAt < 0 || time.nanos() - biasOnAt < SETTLE.toNanos();
      long ns = (reg[0] & 0x01) != 0 ? 62_500_000L : 52_000_000L;
      conversionDoneAt = time.nanos() + ns;
    }
    responses.add(rx.clone());
    return rx;
  }

  /** Returns true when the write asks for a 1-shot conversion. */
  private boolean writeRegister(int r, int value) {
    switch (r) {
      case 0 -> {
        boolean biasWasOn = (reg[0] & 0x80) != 0;
        boolean biasOn = (value & 0x80) != 0;
        if (biasOn && !biasWasOn) {
          biasOnAt = time.nanos();
        } else if (!biasOn) {
          biasOnAt = -1;
        }
        int stored = value & ~0x02;
        if ((value & 0x02) != 0 && (value & 0x2C) == 0) {
          reg[7] = 0;
          reg[2] &= ~0x01;
          faultClears++;
        }
        if ((value & 0x0C) == 0x04) {
          faultCycleDoneAt = time.nanos() + FAULT_CYCLE.toNanos();
        }
        reg[0] = stored;
        return (value & 0x20) != 0 && (value & 0x40) == 0;
      }
      case 3, 4, 5, 6 -> reg[r] = value;
      default -> {
        // 01h, 02h and 07h are read-only.
      }
    }
    return false;
  }

  private void update() {
    long now = time.nanos();
    if (faultCycleDoneAt >= 0 && now >= faultCycleDoneAt) {
      faultCycleDoneAt = -1;
      reg[0] &= ~0x0C;
      if ((reg[0] & 0x80) != 0) {
        reg[7] |= switch (probe) {
          case OPEN -> 0x20;
          case FORCE_MINUS_OPEN -> 0x18;
          default -> 0;
        };
      }
    }
    if (conversionDoneAt >= 0 && now >= conversionDoneAt) {
      conversionDoneAt = -1;
      reg[0] &= ~0x20;
      conversions++;
      int c = convertedWithoutBias ? 0 : ratio();
      int high = (reg[3] << 8 | reg[4]) >> 1;
      int low = (reg[5] << 8 | reg[6]) >> 1;
      if (c >= high) {
        reg[7] |= 0x80;
      }
      if (c <= low) {
        reg[7] |= 0x40;
      }
      if (probe == Probe.OVER_VOLTAGE) {
        reg[7] |= 0x04;
      }
      int rtd = c << 1 | (reg[7] != 0 ? 1 : 0);
      reg[1] = rtd >> 8 & 0xFF;
      reg[2] = rtd & 0xFF;
    }
  }

  private int ratio() {
    return switch (probe) {
      case OPEN -> 0x7FFF;
      case SHORT -> 3;
      case CODE -> code;
      default -> (int) Math.min(0x7FFF, Math.round(ohms / referenceOhms * 32768));
    };
  }

  /** The configuration register now. */
  public synchronized int config() {
    update();
    return reg[0];
  }

  /** The fault status register now. */
  public synchronized int faultStatus() {
    update();
    return reg[7];
  }

  /** The threshold registers 03h..06h. */
  public synchronized int[] thresholds() {
    return new int[] {reg[3], reg[4], reg[5], reg[6]};
  }

  /** Conversions completed. */
  public synchronized int conversions() {
    return conversions;
  }

  /** Times the fault status was cleared. */
  public synchronized int faultClears() {
    return faultClears;
  }

  /** Every frame the driver sent, in order. */
  public synchronized List<byte[]> frames() {
    return List.copyOf(frames);
  }

  /** What the chip clocked back for each frame, in order. */
  public synchronized List<byte[]> responses() {
    return List.copyOf(responses);
  }
}
