/**
 * The Sangfroid simulator: simulated storage units whose DS18B20 probes appear in a Linux
 * 1-Wire sysfs tree, with scripted failures, for testers and demos without hardware.
 */
package org.sangfroid.simulator;
