/**
 * First-order thermal models of storage units (refrigerator, plasma freezer, platelet incubator)
 * under bang-bang thermostat control, stepped in simulated time, with the probe's noise and
 * resolution.
 */
package org.sangfroid.simulator.thermal;
