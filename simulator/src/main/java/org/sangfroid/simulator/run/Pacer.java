package org.sangfroid.simulator.run;

import java.time.Duration;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/** How fast virtual time may go: as fast as possible, or paced at a multiple of real time. */
public interface Pacer {
  /** Called after each step: may wait so that {@code simulated} time does not run ahead of real time × speed. */
  void pace(Duration simulated);

  /** No waiting at all. */
  static Pacer asFastAsPossible() {
    return simulated -> { };
  }

  /**
   * Virtual time at {@code speed} times real time, counted from the first call.
   *
   * @param nanoTime real time, in nanoseconds
   * @param sleep waits about that many nanoseconds (e.g. {@code LockSupport::parkNanos})
   */
  static Pacer atSpeed(double speed, LongSupplier nanoTime, LongConsumer sleep) {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed [" + speed + "] must be a positive number.");
    }
    return new Pacer() {
      private long origin = Long.MIN_VALUE;

      @Override
      public void pace(Duration simulated) {
        long now = nanoTime.getAsLong();
        long offset = (long) (simulated.toNanos() / speed);
        if (origin == Long.MIN_VALUE) {
          origin = now - offset;
        }
        long due = origin + offset;
        while (now < due) {
          sleep.accept(due - now);
          now = nanoTime.getAsLong();
        }
      }
    };
  }
}
