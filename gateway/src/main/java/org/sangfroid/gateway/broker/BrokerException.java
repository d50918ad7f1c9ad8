package org.sangfroid.gateway.broker;

/** The embedded MQTT broker cannot start; the message says where and why. */
public class BrokerException extends RuntimeException {
  public BrokerException(String message, Throwable cause) {
    super(message, cause);
  }
}
