package org.sangfroid.simulator.onewire;

/** What one DS18B20 shows in the sysfs tree at one moment. */
public sealed interface DeviceState {

  /** A good read of {@code celsius} (rounded to 1/16 °C): {@code crc=.. YES}. */
  record Reading(double celsius) implements DeviceState {}

  /**
   * A read of {@code celsius} garbled on the wire: {@code crc=.. NO}; the second line repeats the
   * last good read and {@code t=} is computed from the bad one, as kernels before 5.10 print it.
   */
  record CrcError(double celsius) implements DeviceState {}

  /** The power-on scratchpad, 85.000 °C with a valid CRC: the probe lost power and reset. */
  record PowerOnReset() implements DeviceState {}

  /** An empty {@code w1_slave}: kernels from 5.10 return nothing when the read fails. */
  record EmptyRead() implements DeviceState {}

  /** Gone from the bus: no folder, not listed in {@code w1_master_slaves}. */
  record Disconnected() implements DeviceState {}
}
