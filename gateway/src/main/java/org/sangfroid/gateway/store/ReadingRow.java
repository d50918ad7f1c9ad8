package org.sangfroid.gateway.store;

import java.util.OptionalDouble;
import org.sangfroid.core.wire.Quality;

/**
 * A stored reading, as the API shows it.
 *
 * @param seq the agent's sequence number
 * @param time measurement time, epoch ms
 * @param sensor the probe
 * @param value °C, empty unless {@code quality} is OK
 * @param quality the driver's judgement
 */
public record ReadingRow(long seq, long time, String sensor, OptionalDouble value, Quality quality) {}
