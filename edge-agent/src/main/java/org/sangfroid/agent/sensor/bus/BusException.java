package org.sangfroid.agent.sensor.bus;

/**
 * A bus transaction failed: the device did not answer, or the bus cannot be used. Thrown by
 * {@link SpiPort} and {@link I2cPort} only; drivers turn it into a reading whose quality says
 * the probe is disconnected, so it never reaches the sampler.
 */
public class BusException extends RuntimeException {
  public BusException(String message) {
    super(message);
  }

  public BusException(String message, Throwable cause) {
    super(message, cause);
  }
}
