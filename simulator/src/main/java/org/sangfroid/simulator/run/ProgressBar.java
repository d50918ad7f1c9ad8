package org.sangfroid.simulator.run;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.sangfroid.simulator.scenario.Durations;

/**
 * A one-line progress bar, redrawn in place ({@code \r}) at most every {@link #EVERY} of real time
 * and once at the end: {@code [#########.........]  45%  +10h50m of 24h}.
 */
public final class ProgressBar implements ScenarioRunner.Progress {
  static final Duration EVERY = Duration.ofMillis(200);
  private static final int WIDTH = 30;

  private final PrintWriter out;
  private final Duration step;
  private final Duration total;
  private final LongSupplier nanoTime;
  private long last = Long.MIN_VALUE;

  /**
   * @param step the scenario's step, to show simulated time
   * @param total the scenario's duration
   * @param nanoTime real time, to limit redraws
   */
  public ProgressBar(PrintWriter out, Duration step, Duration total, LongSupplier nanoTime) {
    this.out = out;
    this.step = step;
    this.total = total;
    this.nanoTime = nanoTime;
  }

  @Override
  public void step(long step, long steps) {
    long now = nanoTime.getAsLong();
    boolean done = step == steps;
    if (!done && last != Long.MIN_VALUE && now - last < EVERY.toNanos()) {
      return;
    }
    last = now;
    int filled = steps == 0 ? WIDTH : (int) (WIDTH * step / steps);
    int percent = steps == 0 ? 100 : (int) (100 * step / steps);
    out.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + String.format("%3d%%", percent)
        + "  +" + Durations.human(this.step.multipliedBy(step)) + " of " + Durations.human(total) + "   ");
    if (done) {
      out.println();
    }
    out.flush();
  }
}
