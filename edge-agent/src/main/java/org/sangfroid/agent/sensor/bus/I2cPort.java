package org.sangfroid.agent.sensor.bus;

/**
 * One device on an I2C bus, at its 7-bit address: the only thing an I2C driver needs.
 *
 * <p>Threading: not thread-safe; one driver uses one port from one thread. Blocking: each call
 * is one bus transaction, well under a millisecond at 100 kHz for a few bytes.
 */
public interface I2cPort {

  /**
   * Writes {@code data} in one transaction (start, address + W, data, stop).
   *
   * @param data the bytes to send, not null, not empty; not modified
   * @throws BusException if the device does not acknowledge (absent, unpowered, busy) or the
   *     bus cannot be used
   */
  void write(byte[] data);

  /**
   * Reads exactly {@code length} bytes in one transaction (start, address + R, data, stop).
   *
   * @return a new array of {@code length} bytes; never null
   * @throws BusException if the device does not acknowledge (absent, or still measuring), fewer
   *     bytes arrive, or the bus cannot be used
   */
  byte[] read(int length);
}
