package org.sangfroid.core.check;

/** A value given in code or config breaks a rule; the message says which field and why. */
public class InvalidValueException extends IllegalArgumentException {
  public InvalidValueException(String message) {
    super(message);
  }
}
