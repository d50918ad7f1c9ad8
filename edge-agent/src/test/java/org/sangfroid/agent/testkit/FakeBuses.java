package org.sangfroid.agent.testkit;

import java.util.HashMap;
import java.util.Map;
import org.sangfroid.agent.sensor.bus.BusException;
import org.sangfroid.agent.sensor.bus.Buses;
import org.sangfroid.agent.sensor.bus.I2cDevice;
import org.sangfroid.agent.sensor.bus.I2cPort;
import org.sangfroid.agent.sensor.bus.SpiDevice;
import org.sangfroid.agent.sensor.bus.SpiPort;

/**
 * Buses holding fake chips at given addresses. A device nobody plugged in answers like a
 * missing device file: every call fails with {@link BusException}.
 */
public final class FakeBuses implements Buses {
  private final Map<SpiDevice, SpiPort> spi = new HashMap<>();
  private final Map<I2cDevice, I2cPort> i2c = new HashMap<>();
  private boolean closed;

  /** Puts {@code chip} at {@code device}. */
  public FakeBuses plug(SpiDevice device, SpiPort chip) {
    spi.put(device, chip);
    return this;
  }

  /** Puts {@code chip} at {@code device}. */
  public FakeBuses plug(I2cDevice device, I2cPort chip) {
    i2c.put(device, chip);
    return this;
  }

  @Override
  public synchronized SpiPort spi(SpiDevice device, int mode, int clockHz) {
    SpiPort chip = spi.getOrDefault(device, tx -> {
      throw new BusException(device + ": No such file or directory");
    });
    return tx -> {
      if (isClosed()) {
        throw new BusException("closed");
      }
      return chip.transfer(tx);
    };
  }

  @Override
  public synchronized I2cPort i2c(I2cDevice device) {
    return i2c.getOrDefault(device, new I2cPort() {
      @Override
      public void write(byte[] data) {
        throw new BusException(device + ": No such file or directory");
      }

      @Override
      public byte[] read(int length) {
        throw new BusException(device + ": No such file or directory");
      }
    });
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  /** True once the agent closed the buses. */
  public synchronized boolean isClosed() {
    return closed;
  }
}
