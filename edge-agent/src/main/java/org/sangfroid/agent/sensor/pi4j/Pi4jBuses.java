package org.sangfroid.agent.sensor.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2CProvider;
import com.pi4j.io.spi.SpiProvider;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import com.pi4j.plugin.linuxfs.provider.spi.LinuxFsSpiProvider;
import org.sangfroid.agent.sensor.bus.Buses;
import org.sangfroid.agent.sensor.bus.I2cDevice;
import org.sangfroid.agent.sensor.bus.I2cPort;
import org.sangfroid.agent.sensor.bus.SpiDevice;
import org.sangfroid.agent.sensor.bus.SpiPort;
import org.sangfroid.core.check.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Buses} on one Pi4J context, which it owns and shuts down on {@link #close()}.
 *
 * <p>Providers are named, never auto-detected: in production, {@link #linuxFs()} uses Pi4J's
 * Linux file-system providers ({@code /dev/spidevB.C} through spidev ioctls, {@code /dev/i2c-B}
 * through i2c-dev), which work on any Raspberry Pi OS kernel without a daemon. Pi4J 2.8.0's
 * Raspberry Pi plugin is not used: its SPI and I2C providers are placeholders whose transfers do
 * nothing and return 0.
 */
public final class Pi4jBuses implements Buses {
  private static final Logger log = LoggerFactory.getLogger(Pi4jBuses.class);

  private final Context context;
  private final Class<? extends SpiProvider> spiProvider;
  private final Class<? extends I2CProvider> i2cProvider;
  private boolean closed;

  /**
   * @param context the Pi4J context; this object shuts it down on {@link #close()}
   * @param spiProvider the provider that opens SPI devices, registered in {@code context}
   * @param i2cProvider the provider that opens I2C devices, registered in {@code context}
   */
  public Pi4jBuses(Context context, Class<? extends SpiProvider> spiProvider,
      Class<? extends I2CProvider> i2cProvider) {
    this.context = Checks.requireNonNull("context", context);
    this.spiProvider = Checks.requireNonNull("spiProvider", spiProvider);
    this.i2cProvider = Checks.requireNonNull("i2cProvider", i2cProvider);
  }

  /**
   * A context with only the Linux file-system SPI and I2C providers. Builds on any Linux
   * machine; devices that do not exist fail on first use, not here.
   */
  public static Pi4jBuses linuxFs() {
    Context context = Pi4J.newContextBuilder()
        .noAutoDetect()
        .add(LinuxFsSpiProvider.newInstance(), LinuxFsI2CProvider.newInstance())
        // The agent closes the context after its last read; Pi4J's own hook would race it.
        .disableShutdownHook()
        .build();
    log.info("Pi4J context started with providers {}", context.providers().all().keySet());
    return new Pi4jBuses(context, LinuxFsSpiProvider.class, LinuxFsI2CProvider.class);
  }

  /** The Pi4J context, for adapters in this package. */
  Context context() {
    return context;
  }

  @Override
  public SpiPort spi(SpiDevice device, int mode, int clockHz) {
    return new Pi4jSpiPort(context, spiProvider, device, mode, clockHz);
  }

  @Override
  public I2cPort i2c(I2cDevice device) {
    return new Pi4jI2cPort(context, i2cProvider, device);
  }

  /** Shuts the context down, which closes every device opened on it. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      context.shutdown();
    } catch (RuntimeException e) {
      log.warn("Pi4J context did not shut down cleanly: {}", e.toString());
    }
  }
}
