package org.sangfroid.demo.bench;

import java.util.concurrent.CountDownLatch;

/**
 * The memory baseline: a JVM that loads nothing and waits until it is stopped (SIGTERM). Run with
 * the agent's JVM options, its resident memory is the floor the agent's is compared with.
 */
public final class IdleJvm {
  private IdleJvm() {}

  public static void main(String[] args) throws InterruptedException {
    new CountDownLatch(1).await();
  }
}
