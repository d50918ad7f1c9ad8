package org.sangfroid.agent.testkit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.sangfroid.agent.clock.Ticker;

/** A monotonic clock the test moves by hand (forward only, as the real one). Thread-safe. */
public final class FakeTicker implements Ticker {
  private final AtomicLong nanos;

  /** Starts at {@code uptime} since boot. */
  public FakeTicker(Duration uptime) {
    this.nanos = new AtomicLong(uptime.toNanos());
  }

  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("a monotonic clock never goes back");
    }
    nanos.addAndGet(d.toNanos());
  }

  @Override
  public long nanos() {
    return nanos.get();
  }
}
