/**
 * The excursion engine: pure functions from a unit's state and a reading (or the passing of
 * time) to a new state and alarm events, on measurement time. No I/O, no threads, no clock.
 */
package org.sangfroid.core.excursion;
