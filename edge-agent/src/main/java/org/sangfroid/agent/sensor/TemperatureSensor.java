package org.sangfroid.agent.sensor;

/**
 * One temperature probe. The port between hardware drivers and the sampler.
 *
 * <p>Threading: the sampler calls {@link #read()} from its one thread, one probe after the
 * other; implementations need not be thread-safe. {@link #read()} blocks while the hardware
 * converts (up to 750 ms for a DS18B20 at 12 bits) and never throws: a probe that cannot be
 * read yields a reading whose quality says why.
 */
public interface TemperatureSensor {

  /** The probe's stable id (for a DS18B20, its ROM id such as {@code 28-0316a2794aff}). */
  String id();

  /** Reads the probe now; blocking, never throws, never returns null. */
  SensorReading read();
}
