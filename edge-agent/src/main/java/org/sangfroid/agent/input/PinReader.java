package org.sangfroid.agent.input;

/**
 * Reads the levels of the input pins it was opened for (see {@link InputGpio}).
 *
 * <p>Called from the agent's input thread only, every {@link InputWatcher#POLL_EVERY}: a read must
 * be quick (a sysfs file read) and must not block.
 */
public interface PinReader extends AutoCloseable {

  /**
   * The level of BCM pin {@code pin} now.
   *
   * @return true for high (3.3 V), false for low (GND)
   * @throws RuntimeException when the pin cannot be read; the watcher keeps the last level and
   *     tries again at the next poll
   */
  boolean high(int pin);

  /** Releases the pins. Idempotent; does not throw. */
  @Override
  default void close() {}
}
