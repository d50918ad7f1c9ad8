package org.sangfroid.agent.sensor.pi4j;

import com.pi4j.context.Context;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiBus;
import com.pi4j.io.spi.SpiChipSelect;
import com.pi4j.io.spi.SpiConfig;
import com.pi4j.io.spi.SpiMode;
import com.pi4j.io.spi.SpiProvider;
import org.sangfroid.agent.sensor.bus.BusException;
import org.sangfroid.agent.sensor.bus.SpiDevice;
import org.sangfroid.agent.sensor.bus.SpiPort;
import org.sangfroid.core.check.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SpiPort} on a Pi4J {@link Spi} device. The device opens on first use and again after
 * a failure, so a bus enabled after the agent started is picked up without a restart.
 */
public final class Pi4jSpiPort implements SpiPort {
  private static final Logger log = LoggerFactory.getLogger(Pi4jSpiPort.class);

  private final Context context;
  private final Class<? extends SpiProvider> provider;
  private final SpiDevice device;
  private final int mode;
  private final int clockHz;
  private Spi spi;
  private boolean warned;

  /**
   * @param provider the Pi4J provider to open the device with, registered in {@code context}
   * @param mode SPI mode 0 to 3
   * @param clockHz the SCLK frequency
   */
  public Pi4jSpiPort(Context context, Class<? extends SpiProvider> provider, SpiDevice device, int mode,
      int clockHz) {
    this.context = Checks.requireNonNull("context", context);
    this.provider = Checks.requireNonNull("provider", provider);
    this.device = Checks.requireNonNull("device", device);
    Checks.require(mode >= 0 && mode <= 3, "mode", mode, "be an SPI mode from 0 to 3");
    Checks.require(clockHz > 0, "clockHz", clockHz, "be positive");
    this.mode = mode;
    this.clockHz = clockHz;
  }

  @Override
  public byte[] transfer(byte[] tx) {
    Checks.require(tx != null && tx.length > 0, "tx", tx == null ? null : tx.length, "hold at least one byte");
    Spi s = open();
    byte[] rx = new byte[tx.length];
    int result;
    try {
      result = s.transfer(tx.clone(), rx);
    } catch (RuntimeException | LinkageError e) {
      // Pi4J reports I/O failures as unchecked exceptions of its own or of the JDK; a native
      // library that does not load on this CPU is a LinkageError. Either way, this probe only.
      forget();
      throw new BusException(device + ": transfer failed: " + e.getMessage(), e);
    }
    if (result < 0) {
      forget();
      throw new BusException(device + ": transfer failed with code " + result);
    }
    return rx;
  }

  /** The Pi4J device, opened now if it is not yet; package-private for tests on the mock platform. */
  Spi open() {
    if (context.isShutdown()) {
      throw new BusException(device + ": the Pi4J context is shut down");
    }
    if (spi != null) {
      return spi;
    }
    String id = "sangfroid-spi-" + device.bus() + "-" + device.chipSelect();
    try {
      SpiConfig config = Spi.newConfigBuilder(context)
          .id(id)
          .name(device.toString())
          .bus(SpiBus.getByNumber(device.bus()))
          .chipSelect(SpiChipSelect.getByNumber(device.chipSelect()))
          .mode(SpiMode.getByNumber(mode))
          .baud(clockHz)
          .provider(provider)
          .build();
      spi = context.create(config);
      if (warned) {
        log.info("{} opened", device);
        warned = false;
      }
      return spi;
    } catch (RuntimeException | LinkageError e) {
      release(id);
      if (!warned) {
        warned = true;
        log.warn("{} cannot be opened ({}). Is SPI enabled (dtparam=spi=on in /boot/firmware/config.txt)"
            + " and is the service user in the 'spi' group?", device, e.getMessage());
      }
      throw new BusException(device + " cannot be opened: " + e.getMessage(), e);
    }
  }

  /** Drops a device that failed, so the next transfer opens it afresh. */
  private void forget() {
    if (spi != null) {
      release(spi.id());
      spi = null;
    }
  }

  private void release(String id) {
    try {
      if (context.registry().exists(id)) {
        context.shutdown(id);
      }
    } catch (RuntimeException | LinkageError e) {
      log.debug("{}: releasing {} failed: {}", device, id, e.toString());
    }
  }

  @Override
  public String toString() {
    return "SPI " + device;
  }
}
