package org.sangfroid.agent.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.testkit.FakeTicker;
import org.sangfroid.agent.testkit.MutableClock;

class TimeBaseTest {
  private static final Instant BUILT = Instant.parse("2026-11-01T00:00:00Z");
  private static final long BOOT = 42;
  /** A Pi after a power cut: 1970 plus its uptime, 20 s after boot. */
  private final MutableClock wall = new MutableClock(Instant.parse("1970-01-01T00:00:20Z"));
  private final FakeTicker ticker = new FakeTicker(Duration.ofSeconds(20));
  private final AtomicBoolean ntp = new AtomicBoolean();
  private final List<Synchronisation> heard = new ArrayList<>();
  private final TimeBase time = new TimeBase(wall, ticker, ntp::get, BUILT, BOOT);

  {
    time.onSynchronised(heard::add);
  }

  private void passes(Duration d) {
    wall.advance(d);
    ticker.advance(d);
  }

  @Test
  void beforeSynchronisation_stampsAreFlaggedAndCarryTheirMonotonicTime() {
    Stamp first = time.stamp();
    passes(Duration.ofSeconds(60));
    Stamp second = time.stamp();

    assertThat(first).isEqualTo(new Stamp(20_000, false, Optional.of(new BootTime(BOOT, 20_000))));
    assertThat(second).isEqualTo(new Stamp(80_000, false, Optional.of(new BootTime(BOOT, 80_000))));
    assertThat(time.synced()).isFalse();
    assertThat(heard).isEmpty();
  }

  @Test
  void firstStampOnASynchronisedClock_jumpsToItAndSaysHowToCorrectEarlierReadings() {
    time.stamp();                                            // uptime 20 s, wall 1970
    passes(Duration.ofSeconds(60));
    time.stamp();                                            // uptime 80 s
    passes(Duration.ofSeconds(30));
    wall.advance(Duration.between(wall.instant(), Instant.parse("2026-11-23T10:00:00Z")));  // NTP steps the clock
    ntp.set(true);

    Stamp synced = time.stamp();                             // uptime 110 s

    long at = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
    assertThat(synced).isEqualTo(Stamp.synced(at));
    assertThat(heard).containsExactly(new Synchronisation(new BootTime(BOOT, 110_000), at, at - 110_000));
    assertThat(heard.get(0).correct(20_000)).isEqualTo(at - 90_000);
    assertThat(heard.get(0).correct(80_000)).isEqualTo(at - 30_000);
    passes(Duration.ofSeconds(60));
    assertThat(time.stamp()).isEqualTo(Stamp.synced(at + 60_000));
    assertThat(heard).hasSize(1);
  }

  @Test
  void clockBeforeTheBuildDate_isNeverSynchronised_whateverTheSystemSays() {
    ntp.set(true);
    wall.advance(Duration.between(wall.instant(), Instant.parse("2026-10-31T23:59:59Z")));

    assertThat(time.stamp().synced()).isFalse();
    assertThat(heard).isEmpty();

    passes(Duration.ofSeconds(1));
    assertThat(time.stamp().synced()).isTrue();
  }

  @Test
  void clockAlreadySynchronisedAtTheFirstStamp_isHeardWithNoShift() {
    wall.advance(Duration.between(wall.instant(), Instant.parse("2026-11-23T10:00:00Z")));
    ntp.set(true);

    Stamp s = time.stamp();

    assertThat(s.synced()).isTrue();
    assertThat(heard).containsExactly(new Synchronisation(new BootTime(BOOT, 20_000), s.time(), 0));
  }

  @Test
  void wallClockStepsBackOneHour_stampsKeepRisingAndCatchUpAtOnePercent() {
    wall.advance(Duration.between(wall.instant(), Instant.parse("2026-11-23T10:00:00Z")));
    ntp.set(true);
    long start = time.stamp().time();

    wall.advance(Duration.ofHours(-1));
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      passes(Duration.ofSeconds(60));
      times.add(time.stamp().time());
    }

    // 60 s of monotonic time each, 1 % slow: 59.4 s apart, never back by an hour.
    assertThat(times).containsExactly(start + 59_400, start + 118_800, start + 178_200);
    // The gap of one hour closes by 0.6 s a minute: after 100 hours the stamps are the wall clock again.
    passes(Duration.ofHours(101));
    Stamp later = time.stamp();
    assertThat(later.time()).isEqualTo(wall.millis());
    assertThat(later.synced()).isTrue();
  }

  @Test
  void wallClockStepsForward_stampsFollowAtOnce() {
    wall.advance(Duration.between(wall.instant(), Instant.parse("2026-11-23T10:00:00Z")));
    ntp.set(true);
    long start = time.stamp().time();

    wall.advance(Duration.ofHours(2));
    passes(Duration.ofSeconds(60));

    assertThat(time.stamp().time()).isEqualTo(start + Duration.ofHours(2).plusSeconds(60).toMillis());
  }

  @Test
  void clockView_isTheAgentsTime_neverBehindTheLastStamp() {
    wall.advance(Duration.between(wall.instant(), Instant.parse("2026-11-23T10:00:00Z")));
    ntp.set(true);
    long start = time.stamp().time();
    wall.advance(Duration.ofHours(-1));

    assertThat(time.clock().millis()).isEqualTo(start);
    passes(Duration.ofSeconds(100));
    assertThat(time.clock().millis()).isEqualTo(start + 99_000);
    assertThat(time.stamp().time()).isEqualTo(start + 99_000);
  }

  @Test
  void listenerThatFails_doesNotCostTheStamp() {
    time.onSynchronised(s -> {
      throw new IllegalStateException("outbox closed");
    });
    wall.advance(Duration.between(wall.instant(), Instant.parse("2026-11-23T10:00:00Z")));
    ntp.set(true);

    assertThat(time.stamp()).isEqualTo(Stamp.synced(wall.millis()));
  }

  @Test
  void syncCheck_isAskedAtMostEveryTenSeconds() {
    AtomicInteger asked = new AtomicInteger();
    TimeBase counted = new TimeBase(wall, ticker, () -> {
      asked.incrementAndGet();
      return false;
    }, Instant.EPOCH, BOOT);

    for (int i = 0; i < 30; i++) {
      counted.stamp();
      passes(Duration.ofSeconds(1));
    }

    assertThat(asked).hasValue(3);
  }

  @Test
  void trusting_stampsItsClockAsSynchronised() {
    MutableClock simulated = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));
    TimeBase trusting = TimeBase.trusting(simulated);

    assertThat(trusting.stamp()).isEqualTo(Stamp.synced(simulated.millis()));
    simulated.advance(Duration.ofHours(3));
    assertThat(trusting.stamp()).isEqualTo(Stamp.synced(simulated.millis()));
  }

  @Test
  void bootKey_isTheSameForTheSameBootId(@TempDir Path dir) throws Exception {
    Path a = Files.writeString(dir.resolve("a"), "4a3c5ee2-1a8e-4d43-8f3c-3a5e0c7d9b21\n");
    Path b = Files.writeString(dir.resolve("b"), "4a3c5ee2-1a8e-4d43-8f3c-3a5e0c7d9b21\n");
    Path other = Files.writeString(dir.resolve("c"), "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b\n");

    assertThat(TimeBase.bootKey(a)).isEqualTo(TimeBase.bootKey(b)).isNotEqualTo(TimeBase.bootKey(other));
  }

  @Test
  void bootKey_withoutABootId_isThisProcessOnly(@TempDir Path dir) {
    assertThat(TimeBase.bootKey(dir.resolve("missing"))).isNotEqualTo(TimeBase.bootKey(dir.resolve("missing")));
  }
}
