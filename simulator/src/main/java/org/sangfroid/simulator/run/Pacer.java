package org.sangfroid.simulator.run;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/** How fast virtual time may go: as fast as possible, or paced at a multiple of real time. */
public interface Pacer {
  /** Called after each step: may wait so that {@code simulated} time has not run ahead of real time × speed. */
  void pace(Duration simulated);

  /** No waiting at all. */
  static Pacer asFastAsPossible() {
    return simulated -> { };
  }

  /** Virtual time at {@code speed} times real time, measured on {@code nanoTime} from the first call. */
  static Pacer atSpeed(double speed, LongSupplier nanoTime) {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed [" + speed + "] must be a positive number.");
    }
    return new Pacer() {
      private long origin = Long.MIN_VALUE;

      @Override
      public void pace(Duration simulated) {
        long now = nanoTime.getAsLong();
        if (origin == Long.MIN_VALUE) {
          origin = now - (long) (simulated.toNanos() / speed);
        }
        long due = origin + (long) (simulated.toNanos() / speed);
        while (now < due) {
          LockSupport.parkNanos(due - now);
          now = nanoTime.getAsLong();
        }
      }
    };
  }
}
