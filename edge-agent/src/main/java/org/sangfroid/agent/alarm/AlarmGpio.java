package org.sangfroid.agent.alarm;

import org.sangfroid.agent.config.AgentConfig;

/**
 * Opens the buzzer, LED and mute button of {@code localAlarm}. The agent calls it at most once,
 * while starting, and only when a pin is configured, so configurations without GPIO never load
 * Pi4J.
 */
@FunctionalInterface
public interface AlarmGpio {

  /**
   * @param mutePressed to call (on any thread) on each debounced press of the mute button
   * @return the output driving the pins; closing it turns them off and releases them
   */
  AlarmOutput open(AgentConfig.LocalAlarm localAlarm, Runnable mutePressed);
}
