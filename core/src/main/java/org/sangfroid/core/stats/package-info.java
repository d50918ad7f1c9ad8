/**
 * Report statistics of a unit's temperatures over a period: minimum, maximum, time-weighted mean,
 * mean kinetic temperature, time out of range, excursions, and how much of the period the data
 * covers. Pure functions over readings; no I/O.
 */
package org.sangfroid.core.stats;
