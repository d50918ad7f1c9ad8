package org.sangfroid.simulator.run;

/** A run could not be carried out (the gateway did not answer, the broker went away): not a verdict. */
public final class RunException extends RuntimeException {
  public RunException(String message, Throwable cause) {
    super(message, cause);
  }

  public RunException(String message) {
    super(message);
  }
}
