package org.sangfroid.gateway.report;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports generated in the background, so a long one does not hold a web request: each job has a
 * percentage the page polls, then its file to download. Jobs run on a small bounded executor
 * (given, or one thread with a short queue): when it is full a new job is refused, not queued
 * without end. A finished job's file is kept for {@link #KEEP}, and only for the user who asked
 * for it. Thread-safe.
 */
public final class ReportJobs implements AutoCloseable {
  /** How long a finished report stays available for download. */
  public static final Duration KEEP = Duration.ofHours(1);
  /** Jobs waiting beyond the one running, by default. */
  public static final int QUEUE = 8;
  private static final Logger LOG = LoggerFactory.getLogger(ReportJobs.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ExecutorService executor;
  private final Clock clock;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();

  /** @param executor runs the jobs: bounded, its threads named; closed with this */
  public ReportJobs(ExecutorService executor, Clock clock) {
    this.executor = executor;
    this.clock = clock;
  }

  /** One thread ({@code sangfroid-reports}) and a queue of {@link #QUEUE}. */
  public static ReportJobs start(Clock clock) {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUE), r -> {
          Thread t = new Thread(r, "sangfroid-reports");
          t.setDaemon(true);
          return t;
        });
    return new ReportJobs(executor, clock);
  }

  /** A report's file. */
  public record File(String name, String contentType, byte[] bytes) {}

  /** What makes a report; tells its progress (0 to 100) as it goes. */
  @FunctionalInterface
  public interface Work {
    File run(IntConsumer progress);
  }

  public enum State { QUEUED, RUNNING, DONE, FAILED }

  /** A job as the page shows it. */
  public record Status(String id, String owner, String title, State state, int percent, Optional<String> fileName,
      long createdAt) {}

  private static final class Job {
    final String id;
    final String owner;
    final String title;
    final long createdAt;
    volatile State state = State.QUEUED;
    volatile int percent;
    volatile File file;
    volatile long finishedAt;

    Job(String id, String owner, String title, long createdAt) {
      this.id = id;
      this.owner = owner;
      this.title = title;
      this.createdAt = createdAt;
    }

    Status status() {
      return new Status(id, owner, title, state, percent, Optional.ofNullable(file).map(File::name), createdAt);
    }
  }

  /** Queues {@code work} for {@code owner}; empty when the queue is full (try again later). */
  public Optional<Status> submit(String owner, String title, Work work) {
    forgetOld();
    String id = token();
    Job job = new Job(id, owner, title, clock.millis());
    jobs.put(id, job);
    try {
      executor.execute(() -> run(job, work));
    } catch (RejectedExecutionException e) {
      jobs.remove(id);
      LOG.warn("Report [{}] for {} refused: {} reports are already waiting", title, owner, QUEUE);
      return Optional.empty();
    }
    return Optional.of(job.status());
  }

  private void run(Job job, Work work) {
    job.state = State.RUNNING;
    try {
      File f = work.run(p -> job.percent = Math.max(job.percent, Math.min(99, Math.max(0, p))));
      job.file = f;
      job.percent = 100;
      job.state = State.DONE;
      LOG.info("Report [{}] for {} ready: {} ({} bytes)", job.title, job.owner, f.name(), f.bytes().length);
    } catch (Throwable t) { // the thread goes on with the next report
      job.state = State.FAILED;
      LOG.error("Report [{}] for {} failed", job.title, job.owner, t);
    } finally {
      job.finishedAt = clock.millis();
    }
  }

  /** Job {@code id}, if it exists and belongs to {@code owner}. */
  public Optional<Status> status(String id, String owner) {
    return Optional.ofNullable(jobs.get(id)).filter(j -> j.owner.equals(owner)).map(Job::status);
  }

  /** The file of job {@code id}, once done, to its owner. */
  public Optional<File> file(String id, String owner) {
    return Optional.ofNullable(jobs.get(id)).filter(j -> j.owner.equals(owner)).map(j -> j.file);
  }

  private void forgetOld() {
    long now = clock.millis();
    jobs.values().removeIf(j -> j.finishedAt > 0 && now - j.finishedAt > KEEP.toMillis());
  }

  private static String token() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Stops the executor: a running report is interrupted, waiting ones are dropped. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("A report was still being generated after 5 s; left behind");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
