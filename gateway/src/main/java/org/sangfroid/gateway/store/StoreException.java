package org.sangfroid.gateway.store;

/** The gateway's database failed (disk full, file damaged…); nothing of the transaction was kept. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
