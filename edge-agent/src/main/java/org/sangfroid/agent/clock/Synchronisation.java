package org.sangfroid.agent.clock;

/**
 * The moment the agent found the wall clock synchronised: readings of the same boot taken
 * before it get {@code time = wall − (at.millis − their monotonic millis)}.
 *
 * @param at the monotonic time of the synchronisation
 * @param wall the wall clock then, UTC epoch milliseconds
 * @param shift how far the agent's time moved, in milliseconds (positive: forward); 0 when the
 *     clock was synchronised before the agent gave any stamp
 */
public record Synchronisation(BootTime at, long wall, long shift) {

  /** The corrected time of a reading taken at {@code millis} on this boot's monotonic clock. */
  public long correct(long millis) {
    return Math.max(0, wall - (at.millis() - millis));
  }
}
