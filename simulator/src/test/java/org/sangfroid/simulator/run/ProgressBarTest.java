package org.sangfroid.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void step_redrawsAtMostEvery200msAndAlwaysAtTheEnd() {
    StringWriter out = new StringWriter();
    AtomicLong now = new AtomicLong();
    ProgressBar bar = new ProgressBar(new PrintWriter(out), Duration.ofMinutes(1), Duration.ofHours(24), now::get);

    bar.step(0, 1440);
    bar.step(1, 1440); // too soon: not drawn
    now.addAndGet(ProgressBar.EVERY.toNanos());
    bar.step(720, 1440);
    bar.step(1440, 1440);

    assertThat(out.toString()).isEqualTo(
        "\r[..............................]   0%  +0s of 1d   "
            + "\r[###############...............]  50%  +12h of 1d   "
            + "\r[##############################] 100%  +1d of 1d   " + System.lineSeparator());
  }
}
