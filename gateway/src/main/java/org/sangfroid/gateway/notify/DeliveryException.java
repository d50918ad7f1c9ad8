package org.sangfroid.gateway.notify;

/** A notification was not accepted by its channel; the message says why. */
public final class DeliveryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeliveryException(String message) {
    super(message);
  }

  public DeliveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
