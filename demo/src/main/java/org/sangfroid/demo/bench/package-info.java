/**
 * {@code ./sangfroid bench}: measures the agent's and the gateway's performance beside raw
 * baselines (SQLite, the broker) taken in the same run, so figures compare as ratios on a noisy
 * machine.
 */
package org.sangfroid.demo.bench;
