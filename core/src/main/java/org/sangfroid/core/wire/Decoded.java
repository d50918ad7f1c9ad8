package org.sangfroid.core.wire;

/**
 * The result of reading a payload from the network: bad bytes are expected input, not a bug,
 * so they come back as {@link Invalid} with a reason naming the field and value.
 */
public sealed interface Decoded<T> {
  /** A payload that follows the contract. */
  record Valid<T>(T value) implements Decoded<T> {}

  /**
   * A payload that does not.
   *
   * @param code short machine-readable cause, used as a metric tag: {@code malformed},
   *     {@code version}, {@code schema}
   * @param reason what is wrong, for the log
   */
  record Invalid<T>(String code, String reason) implements Decoded<T> {}
}
