package org.sangfroid.agent.sensor.bus;

/**
 * Opens ports on the device's hardware buses. The agent creates one when the configuration
 * holds an SPI or I2C probe, and closes it on shutdown, which releases every port it opened.
 *
 * <p>Opening never fails: a port whose device file is missing (SPI or I2C not enabled) throws
 * {@link BusException} on use, so the probe reads as disconnected and the agent keeps running
 * for the other probes. Not thread-safe; the agent opens ports while it starts.
 */
public interface Buses extends AutoCloseable {

  /**
   * The SPI chip at {@code device}, clocked in {@code mode} (0 to 3) at {@code clockHz}, with
   * its bytes sent most significant bit first.
   */
  SpiPort spi(SpiDevice device, int mode, int clockHz);

  /** The I2C chip at {@code device}. */
  I2cPort i2c(I2cDevice device);

  /** Releases every port; they throw {@link BusException} afterwards. Idempotent. */
  @Override
  void close();

  /**
   * Buses that could not be opened: every port throws {@link BusException} with
   * {@code reason}, so their probes read as disconnected while the others go on.
   */
  static Buses unavailable(String reason) {
    return new Buses() {
      @Override
      public SpiPort spi(SpiDevice device, int mode, int clockHz) {
        return tx -> {
          throw new BusException(device + ": " + reason);
        };
      }

      @Override
      public I2cPort i2c(I2cDevice device) {
        return new I2cPort() {
          @Override
          public void write(byte[] data) {
            throw new BusException(device + ": " + reason);
          }

          @Override
          public byte[] read(int length) {
            throw new BusException(device + ": " + reason);
          }
        };
      }

      @Override
      public void close() {
        // nothing was opened
      }
    };
  }
}
