/**
 * Failures scripted at a simulated time after the start: a unit's door left open, its
 * compressor or heater stopped, or its probe misbehaving on the 1-Wire bus.
 */
package org.sangfroid.simulator.failure;
