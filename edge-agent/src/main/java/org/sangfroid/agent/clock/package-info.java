/**
 * The agent's time: a monotonic time base beside the wall clock, whether the wall clock is
 * synchronised yet (a Pi has no battery clock), and the timestamps readings get from both.
 */
package org.sangfroid.agent.clock;
