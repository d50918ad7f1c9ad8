/**
 * The Sangfroid simulator: scenarios of storage units, failures and network losses run against a
 * real gateway on a virtual clock ({@code scenario}, {@code run}, {@code virtual}, {@code
 * report}), a fleet bench ({@code bench}), and for a real agent a 1-Wire sysfs tree of simulated
 * DS18B20 probes ({@code onewire}, {@link org.sangfroid.simulator.SimulatedSite}).
 */
package org.sangfroid.simulator;
