package org.sangfroid.gateway.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TickLoopTest {
  private static final Duration FAST = Duration.ofMillis(10);

  @Test
  void loop_whenARunThrows_logsItAndKeepsTheSchedule() {
    AtomicInteger runs = new AtomicInteger();
    try (TickLoop loop = new TickLoop("test tick", () -> {
      if (runs.incrementAndGet() <= 2) {
        throw new AssertionError("a run that fails");
      }
    }, FAST, Duration.ofSeconds(1), TickLoop.namedThreads("test-tick")).start()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 4);
      assertThat(loop.failures()).isEqualTo(2);
    }
  }

  @Test
  void runOnce_whileARunIsInProgress_isSkipped() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    try (TickLoop loop = new TickLoop("test tick", () -> {
      runs.incrementAndGet();
      inside.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, Duration.ofHours(1), Duration.ofSeconds(1), TickLoop.namedThreads("test-tick"))) {
      Thread first = new Thread(loop::runOnce, "first-run");
      first.start();
      assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

      assertThat(loop.runOnce()).isFalse();

      release.countDown();
      first.join(5000);
      assertThat(loop.runOnce()).isTrue();
      assertThat(runs.get()).isEqualTo(2);
    }
  }

  @Test
  void close_withARunStuck_interruptsItAfterTheBoundedWait() {
    CountDownLatch inside = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    TickLoop loop = new TickLoop("test tick", () -> {
      inside.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    }, FAST, Duration.ofMillis(200), TickLoop.namedThreads("test-tick")).start();
    await().atMost(Duration.ofSeconds(5)).until(() -> inside.getCount() == 0);

    long started = System.nanoTime();
    loop.close();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
  }
}
