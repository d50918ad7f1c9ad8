package org.sangfroid.demo.bench;

/** A measure that could not be completed (timed out, a part failed); the message says which and why. */
final class BenchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BenchException(String message, Throwable cause) {
    super(message, cause);
  }
}
