package org.sangfroid.gateway.store;

/** A gateway's store that stops as in a crash: what it kept in memory is not saved. */
public final class Crash {
  private Crash() {}

  /** Closes {@code store} without saving the engine states it kept in memory. */
  public static void of(GatewayStore store) {
    store.abandon();
  }
}
