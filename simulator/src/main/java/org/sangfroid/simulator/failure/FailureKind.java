package org.sangfroid.simulator.failure;

import java.util.Arrays;
import java.util.Optional;

/**
 * What goes wrong. The first two change the unit's temperature; the others change only what the
 * probe shows on the 1-Wire bus while the unit's temperature carries on.
 */
public enum FailureKind {
  /** The door stands open: the unit exchanges heat with the room through {@code doorTau}. */
  DOOR_OPEN("door-open", true),
  /** The compressor (fridge, freezer) or heater (incubator) stops working. */
  COMPRESSOR_STOP("compressor-stop", true),
  /** The probe drops off the bus: its folder disappears and it leaves {@code w1_master_slaves}. */
  PROBE_DISCONNECT("probe-disconnect", false),
  /** Every read fails its CRC: {@code w1_slave} says {@code crc=.. NO} (kernels before 5.10). */
  CRC_ERROR("crc-error", false),
  /** The probe answers with its power-on scratchpad, 85.000 °C, as after a brown-out. */
  POWER_ON_RESET("power-on-reset", false),
  /** Reads fail and {@code w1_slave} is empty, as kernels from 5.10 show a failed CRC. */
  EMPTY_READ("empty-read", false);

  private final String configName;
  private final boolean thermal;

  FailureKind(String configName, boolean thermal) {
    this.configName = configName;
    this.thermal = thermal;
  }

  /** The name used in configuration files, e.g. {@code door-open}. */
  public String configName() {
    return configName;
  }

  /** True when the failure changes the unit's temperature, false when only the probe's output. */
  public boolean thermal() {
    return thermal;
  }

  /** The kind whose {@link #configName()} is {@code name}, if any. */
  public static Optional<FailureKind> fromConfigName(String name) {
    return Arrays.stream(values()).filter(k -> k.configName.equals(name)).findFirst();
  }
}
