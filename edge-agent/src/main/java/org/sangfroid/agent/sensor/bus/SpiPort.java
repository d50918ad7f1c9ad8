package org.sangfroid.agent.sensor.bus;

/**
 * One device on an SPI bus, behind its own chip select: the only thing an SPI driver needs.
 *
 * <p>Threading: not thread-safe; one driver uses one port from one thread. Blocking: a transfer
 * of a few bytes takes microseconds at 1 MHz.
 */
public interface SpiPort {

  /**
   * Clocks {@code tx} out on MOSI with chip select held low for the whole frame, and returns
   * the bytes clocked in on MISO at the same time (as many as {@code tx} holds). Chip select
   * goes high at the end of the frame, which is when some chips act (the MAX31865 starts a
   * 1-shot conversion then). A device that is absent does not fail the transfer: MISO floats
   * and reads {@code 0xFF} or {@code 0x00}, so drivers check what they read back.
   *
   * @param tx the bytes to send, not null, not empty; not modified
   * @return a new array, as long as {@code tx}; never null
   * @throws BusException if the bus itself cannot be used (not enabled, no permission)
   */
  byte[] transfer(byte[] tx);
}
