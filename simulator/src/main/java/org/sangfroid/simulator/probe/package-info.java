/**
 * Temperature probes as the simulator models them: in the air or in a glycol bottle (a lag),
 * with noise, resolution, drift, a stuck value and the faults a driver reports.
 */
package org.sangfroid.simulator.probe;
