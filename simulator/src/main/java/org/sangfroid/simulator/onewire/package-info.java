/**
 * The Linux w1-therm sysfs tree of DS18B20 probes, written into an ordinary folder byte for byte
 * as the kernel shows it, including its faults: a failed CRC, the 85 °C power-on value, an
 * empty read and a probe gone from the bus.
 */
package org.sangfroid.simulator.onewire;
