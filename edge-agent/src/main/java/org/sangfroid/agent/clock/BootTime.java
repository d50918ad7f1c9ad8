package org.sangfroid.agent.clock;

/**
 * A moment on one boot's monotonic clock: what lets the agent correct a reading's time once the
 * wall clock is synchronised, even from another agent process of the same boot.
 *
 * @param boot which boot (see {@link TimeBase#bootKey}); monotonic times of different boots
 *     cannot be compared
 * @param millis milliseconds on that boot's monotonic clock
 */
public record BootTime(long boot, long millis) {}
