package org.sangfroid.agent.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.agent.sensor.TemperatureSensor;
import org.sangfroid.agent.testkit.MutableClock;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;

class SamplerTest {
  @TempDir Path dataDir;
  private Outbox outbox;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AtomicInteger wakes = new AtomicInteger();
  private ScheduledThreadPoolExecutor executor;
  private final ExecutorService other = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-other"));

  /** A ten-line fake probe: answers what the supplier says. */
  private record FakeSensor(String id, Supplier<SensorReading> answer) implements TemperatureSensor {
    @Override
    public SensorReading read() {
      return answer.get();
    }
  }

  @BeforeEach
  void open() {
    outbox = Outbox.open(dataDir);
    executor = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "test-sampler"));
    executor.setRemoveOnCancelPolicy(true);
  }

  @AfterEach
  void close() throws Exception {
    executor.shutdownNow();
    other.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
    outbox.close();
  }

  private Sampler sampler(Probe... probes) {
    return new Sampler(List.of(probes), outbox, clock, meters, wakes::incrementAndGet);
  }

  private static Probe probe(String unit, String id, Supplier<SensorReading> answer) {
    return new Probe(unit, new FakeSensor(id, answer));
  }

  @Test
  void tick_threeProbesInTwoUnits_storesOneTickWithOneTimestamp() {
    Sampler s = sampler(
        probe("rbc-fridge-1", "28-000000000001", () -> SensorReading.ok(4.0)),
        probe("rbc-fridge-1", "28-000000000002", () -> SensorReading.ok(4.5)),
        probe("ffp-freezer-1", "28-000000000003", () -> SensorReading.ok(-30.0)));

    assertThat(s.tick()).isTrue();
    clock.advance(Duration.ofSeconds(60));
    assertThat(s.tick()).isTrue();

    List<Reading> stored = outbox.readAfter(0, 100);
    long t0 = Instant.parse("2026-01-15T08:00:00Z").toEpochMilli();
    assertThat(stored).extracting(Reading::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(stored).extracting(Reading::time).containsExactly(t0, t0, t0, t0 + 60_000, t0 + 60_000, t0 + 60_000);
    assertThat(stored.subList(0, 3)).extracting(Reading::unit, Reading::sensor, Reading::celsius).containsExactly(
        tuple("rbc-fridge-1", "28-000000000001", 4.0),
        tuple("rbc-fridge-1", "28-000000000002", 4.5),
        tuple("ffp-freezer-1", "28-000000000003", -30.0));
    assertThat(wakes).hasValue(2);
    assertThat(meters.counter("sangfroid.agent.readings.sampled").count()).isEqualTo(6.0);
  }

  @Test
  void tick_probeFaults_storedWithTheirQuality() {
    Sampler s = sampler(
        probe("u1", "28-000000000001", () -> SensorReading.fault(Quality.DISCONNECTED)),
        probe("u1", "28-000000000002", () -> SensorReading.fault(Quality.CRC_ERROR)),
        probe("u1", "28-000000000003", () -> SensorReading.fault(Quality.POWER_ON_RESET)));

    s.tick();

    assertThat(outbox.readAfter(0, 10)).extracting(Reading::quality)
        .containsExactly(Quality.DISCONNECTED, Quality.CRC_ERROR, Quality.POWER_ON_RESET);
  }

  @Test
  void tick_driverThrows_probeStoredAsDisconnectedAndOthersKept() {
    Sampler s = sampler(
        probe("u1", "28-000000000001", () -> {
          throw new IllegalStateException("driver bug");
        }),
        probe("u1", "28-000000000002", () -> SensorReading.ok(5.0)));

    assertThat(s.tick()).isTrue();

    assertThat(outbox.readAfter(0, 10)).extracting(Reading::quality).containsExactly(Quality.DISCONNECTED, Quality.OK);
  }

  @Test
  void schedule_tickFailsWithError_laterTicksStillRun() {
    AtomicInteger calls = new AtomicInteger();
    Sampler s = sampler(probe("u1", "28-000000000001", () -> {
      if (calls.incrementAndGet() == 1) {
        throw new AssertionError("an Error, not an Exception");
      }
      return SensorReading.ok(4.0);
    }));

    s.start(executor, Duration.ofMillis(10));

    await().atMost(Duration.ofSeconds(5)).until(() -> outbox.depth() >= 2);
    assertThat(meters.counter("sangfroid.agent.sampler.ticks", "result", "failed").count()).isEqualTo(1.0);
    s.close();
  }

  @Test
  void tick_previousTickStillReading_skipped() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Sampler s = sampler(probe("u1", "28-000000000001", () -> {
      reading.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return SensorReading.ok(4.0);
    }));
    CompletableFuture<Boolean> slow = CompletableFuture.supplyAsync(s::tick, other);
    reading.await();

    assertThat(s.tick()).isFalse();

    release.countDown();
    assertThat(slow.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(outbox.depth()).isEqualTo(1);
    assertThat(meters.counter("sangfroid.agent.sampler.ticks", "result", "skipped").count()).isEqualTo(1.0);
  }

  @Test
  void close_whileScheduled_stopsTheScheduleAndLaterTicksDoNothing() {
    Sampler s = sampler(probe("u1", "28-000000000001", () -> SensorReading.ok(4.0)));
    s.start(executor, Duration.ofMillis(10));
    await().atMost(Duration.ofSeconds(5)).until(() -> outbox.depth() >= 1);

    s.close();

    assertThat(executor.getQueue()).isEmpty();
    long depth = outbox.depth();
    assertThat(s.tick()).isFalse();
    assertThat(outbox.depth()).isEqualTo(depth);
  }

  @Test
  void close_whileATickReads_waitsForItToBeStored() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Sampler s = sampler(probe("u1", "28-000000000001", () -> {
      reading.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return SensorReading.ok(4.0);
    }));
    s.start(executor, Duration.ofHours(1));
    reading.await();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close, other);
    release.countDown();
    closing.get(5, TimeUnit.SECONDS);

    assertThat(outbox.depth()).isEqualTo(1);
  }
}
