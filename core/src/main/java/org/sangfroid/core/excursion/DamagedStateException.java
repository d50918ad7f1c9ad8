package org.sangfroid.core.excursion;

/**
 * A saved {@link UnitState} cannot be read back (see {@link UnitStateJson#read}); the message
 * says what is wrong with it. The caller decides what a damaged state means: the gateway stops
 * the transaction, the agent starts the unit afresh.
 */
public class DamagedStateException extends IllegalArgumentException {
  public DamagedStateException(String message) {
    super(message);
  }

  public DamagedStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
