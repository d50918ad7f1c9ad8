package org.sangfroid.agent.sensor.pi4j;

import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.io.i2c.I2CProvider;
import org.sangfroid.agent.sensor.bus.BusException;
import org.sangfroid.agent.sensor.bus.I2cDevice;
import org.sangfroid.agent.sensor.bus.I2cPort;
import org.sangfroid.core.check.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link I2cPort} on a Pi4J {@link I2C} device. The device opens on first use and again after
 * a failure, so a bus enabled after the agent started is picked up without a restart. A
 * device that does not acknowledge makes the Linux driver fail the call; that, a negative
 * result or a short read all become {@link BusException}.
 */
public final class Pi4jI2cPort implements I2cPort {
  private static final Logger log = LoggerFactory.getLogger(Pi4jI2cPort.class);

  private final Context context;
  private final Class<? extends I2CProvider> provider;
  private final I2cDevice device;
  private I2C i2c;
  private boolean warned;

  /** @param provider the Pi4J provider to open the device with, registered in {@code context} */
  public Pi4jI2cPort(Context context, Class<? extends I2CProvider> provider, I2cDevice device) {
    this.context = Checks.requireNonNull("context", context);
    this.provider = Checks.requireNonNull("provider", provider);
    this.device = Checks.requireNonNull("device", device);
  }

  @Override
  public void write(byte[] data) {
    Checks.require(data != null && data.length > 0, "data", data == null ? null : data.length,
        "hold at least one byte");
    I2C d = open();
    int written;
    try {
      written = d.write(data.clone());
    } catch (RuntimeException | LinkageError e) {
      throw new BusException(device + ": write failed: " + e.getMessage(), e);
    }
    if (written != data.length) {
      throw new BusException(device + ": wrote " + written + " of " + data.length + " bytes");
    }
  }

  @Override
  public byte[] read(int length) {
    Checks.require(length > 0, "length", length, "be positive");
    I2C d = open();
    byte[] buffer = new byte[length];
    int got;
    try {
      got = d.read(buffer, 0, length);
    } catch (RuntimeException | LinkageError e) {
      throw new BusException(device + ": read failed: " + e.getMessage(), e);
    }
    if (got != length) {
      throw new BusException(device + ": read " + got + " of " + length + " bytes");
    }
    return buffer;
  }

  /** The Pi4J device, opened now if it is not yet; package-private for tests on the mock platform. */
  I2C open() {
    if (context.isShutdown()) {
      throw new BusException(device + ": the Pi4J context is shut down");
    }
    if (i2c != null) {
      return i2c;
    }
    String id = "sangfroid-i2c-" + device.bus() + "-" + I2cDevice.hex(device.address());
    try {
      I2CConfig config = I2C.newConfigBuilder(context)
          .id(id)
          .name(device.toString())
          .bus(device.bus())
          .device(device.address())
          .provider(provider)
          .build();
      i2c = context.create(config);
      if (warned) {
        log.info("{} opened", device);
        warned = false;
      }
      return i2c;
    } catch (RuntimeException | LinkageError e) {
      try {
        if (context.registry().exists(id)) {
          context.shutdown(id);
        }
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (!warned) {
        warned = true;
        log.warn("{} cannot be opened ({}). Is I2C enabled (dtparam=i2c_arm=on in /boot/firmware/config.txt)"
            + " and is the service user in the 'i2c' group?", device, e.getMessage());
      }
      throw new BusException(device + " cannot be opened: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "I2C " + device;
  }
}
