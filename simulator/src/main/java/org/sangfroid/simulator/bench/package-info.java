/**
 * The fleet bench: thousands of simulated units driven through the broker into a real gateway on
 * a virtual clock, to measure the speed-up over real time and check that nothing is lost.
 */
package org.sangfroid.simulator.bench;
