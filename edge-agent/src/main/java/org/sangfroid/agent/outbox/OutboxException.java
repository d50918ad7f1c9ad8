package org.sangfroid.agent.outbox;

/** The outbox database could not be opened, written or read (disk full, corrupt file, closed). */
public class OutboxException extends RuntimeException {
  public OutboxException(String message, Throwable cause) {
    super(message, cause);
  }
}
