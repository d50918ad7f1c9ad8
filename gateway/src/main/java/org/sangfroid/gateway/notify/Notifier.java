package org.sangfroid.gateway.notify;

/**
 * One notification channel (an SMTP server and its recipients, a webhook URL): the I/O seam of
 * notifications.
 *
 * <p>{@link #deliver} blocks until the message is accepted or refused, at most about its
 * timeout (10 s for both implementations). It is called from the dispatcher's threads, never
 * from the ingest thread, possibly from several at once: implementations are thread-safe. It does
 * not retry: the {@link Dispatcher} does.
 */
public interface Notifier {
  /**
   * Delivers one message.
   *
   * @throws DeliveryException when the channel did not accept it (refused, timed out,
   *     unreachable); the message says why, for the log and the dead letters
   */
  void deliver(Notification notification);
}
