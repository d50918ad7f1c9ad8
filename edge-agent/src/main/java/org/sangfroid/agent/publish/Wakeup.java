package org.sangfroid.agent.publish;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A flag one thread waits on with a timeout and others raise (an ack, new data, a lost link, close). */
final class Wakeup {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition raised = lock.newCondition();
  private boolean pending;

  /** Wakes the waiting thread, or makes its next wait return at once. */
  void raise() {
    lock.lock();
    try {
      pending = true;
      raised.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until raised or {@code timeout} passes, and clears the flag. */
  void await(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeout.toMillis()));
      while (!pending && nanos > 0) {
        nanos = raised.awaitNanos(nanos);
      }
      pending = false;
    } finally {
      lock.unlock();
    }
  }
}
