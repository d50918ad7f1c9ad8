package org.sangfroid.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sangfroid.gateway.MutableClock;

/** Issue 5, reports: a long report shows its progress, then its file arrives; the executor is bounded. */
class ReportJobsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
  private final ReportJobs jobs = new ReportJobs(new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
      new ArrayBlockingQueue<>(1), r -> new Thread(r, "test-reports")), clock);

  @AfterEach
  void close() {
    jobs.close();
  }

  @Test
  void progressMoves_thenTheFileArrives_toItsOwnerOnly() throws Exception {
    CountDownLatch half = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    String id = jobs.submit("ana", "November", progress -> {
      progress.accept(50);
      half.countDown();
      waitFor(finish);
      return new ReportJobs.File("r.pdf", "application/pdf", new byte[] {1, 2, 3});
    }).orElseThrow().id();

    assertThat(half.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(jobs.status(id, "ana").orElseThrow().percent()).isEqualTo(50);
    assertThat(jobs.status(id, "ana").orElseThrow().state()).isEqualTo(ReportJobs.State.RUNNING);
    assertThat(jobs.file(id, "ana")).isEmpty();
    finish.countDown();

    await().atMost(Duration.ofSeconds(10)).until(() -> jobs.status(id, "ana").orElseThrow().state()
        == ReportJobs.State.DONE);
    assertThat(jobs.status(id, "ana").orElseThrow().percent()).isEqualTo(100);
    assertThat(jobs.file(id, "ana").orElseThrow().bytes()).containsExactly(1, 2, 3);
    assertThat(jobs.status(id, "vera")).as("another user's report").isEmpty();
    assertThat(jobs.file(id, "vera")).isEmpty();

    clock.advance(ReportJobs.KEEP.plusMinutes(1));
    jobs.submit("ana", "next", p -> new ReportJobs.File("n.csv", "text/csv", new byte[0]));
    assertThat(jobs.status(id, "ana")).as("forgotten an hour after").isEmpty();
  }

  @Test
  void aFullQueue_refusesNewJobs_andAFailingJobDoesNotStopTheNext() throws Exception {
    CountDownLatch finish = new CountDownLatch(1);
    String failing = jobs.submit("ana", "fails", p -> {
      waitFor(finish);
      throw new IllegalStateException("boom");
    }).orElseThrow().id();
    String waiting = jobs.submit("ana", "waits", p -> new ReportJobs.File("w.csv", "text/csv", new byte[] {7}))
        .orElseThrow().id();

    assertThat(jobs.submit("ana", "one too many", p -> null)).isEmpty();
    finish.countDown();

    await().atMost(Duration.ofSeconds(10)).until(() -> jobs.status(waiting, "ana").orElseThrow().state()
        == ReportJobs.State.DONE);
    assertThat(jobs.status(failing, "ana").orElseThrow().state()).isEqualTo(ReportJobs.State.FAILED);
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
