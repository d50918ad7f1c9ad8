package org.sangfroid.agent.alarm;

/**
 * Where on-site alarms are shown: the console, a buzzer, an LED.
 *
 * <p>{@link #show} is called with the whole current picture each time it changes, and once at
 * start; calls come one at a time (under {@link LocalAlarms}' lock) from the sampling, alarm-check
 * or button thread. It must not block for long (a GPIO write, a log line) and should not throw: an
 * exception is logged and the other outputs are still driven.
 */
public interface AlarmOutput extends AutoCloseable {

  /** Shows {@code panel}. */
  void show(AlarmPanel panel);

  /** Turns the output off and releases it. Idempotent; does not throw. */
  @Override
  default void close() {}
}
