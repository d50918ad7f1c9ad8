package org.sangfroid.agent.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.alarm.LocalAlarms;
import org.sangfroid.agent.calibration.Calibration;
import org.sangfroid.agent.clock.TimeBase;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.agent.sensor.TemperatureSensor;
import org.sangfroid.agent.testkit.FakeTicker;
import org.sangfroid.agent.testkit.MutableClock;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.ExcursionEngine;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Profiles;
import org.sangfroid.core.excursion.Sample;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;

/** The sampler with calibration and the agent's time base: corrected values, clock sync, clock steps (issue 3). */
class SamplerClockTest {
  private static final Instant BUILT = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant SYNCED_AT = Instant.parse("2026-11-23T10:00:00Z");
  private static final String UNIT = "rbc-fridge-1";
  private static final Profile RBC = Profiles.byId("RBC_STORE_EU").orElseThrow();

  @TempDir Path dataDir;
  private Outbox outbox;
  /** A Pi 20 s after boot, its clock in 1970. */
  private final MutableClock wall = new MutableClock(Instant.parse("1970-01-01T00:00:20Z"));
  private final FakeTicker ticker = new FakeTicker(Duration.ofSeconds(20));
  private final AtomicBoolean ntp = new AtomicBoolean();
  private final TimeBase time = new TimeBase(wall, ticker, ntp::get, BUILT, 7);
  private final AtomicReference<SensorReading> answer = new AtomicReference<>(SensorReading.ok(4.125));

  private record FakeSensor(String id, AtomicReference<SensorReading> answer) implements TemperatureSensor {
    @Override
    public SensorReading read() {
      return answer.get();
    }
  }

  @BeforeEach
  void open() {
    outbox = Outbox.open(dataDir);
  }

  @AfterEach
  void close() {
    outbox.close();
  }

  private Sampler sampler(Consumer<List<Measurement>> onSampled, Probe... probes) {
    return new Sampler(List.of(probes), outbox, time, new SimpleMeterRegistry(), onSampled, () -> { });
  }

  private Probe probe(String id, Optional<Calibration> calibration) {
    return new Probe(UNIT, new FakeSensor(id, answer), calibration);
  }

  private static Optional<Calibration> offset(double celsius) {
    return Optional.of(new Calibration("LAB-2026-0142", LocalDate.parse("2026-03-01"), LocalDate.parse("2027-03-01"),
        new Calibration.Offset(celsius)));
  }

  private void passes(Duration d) {
    wall.advance(d);
    ticker.advance(d);
  }

  private void synchronise() {
    wall.advance(Duration.between(wall.instant(), SYNCED_AT));
    ntp.set(true);
  }

  @Test
  void calibratedProbe_givesTheCorrectedValue_andKeepsTheRawOne() {
    synchronise();
    List<Measurement> heard = new ArrayList<>();
    Sampler s = sampler(heard::addAll,
        probe("28-0316a2794aff", offset(-0.12)),
        probe("28-0316a2794b00", Optional.empty()),
        probe("28-0316a2794b01", offset(0.0)));

    s.tick();
    answer.set(SensorReading.fault(Quality.CRC_ERROR));
    s.tick();

    assertThat(outbox.readAfter(0, 10)).extracting(Reading::sensor, Reading::celsius, Reading::raw).containsExactly(
        tuple("28-0316a2794aff", 4.005, OptionalDouble.of(4.125)),
        tuple("28-0316a2794b00", 4.125, OptionalDouble.empty()),
        tuple("28-0316a2794b01", 4.125, OptionalDouble.empty()),
        tuple("28-0316a2794aff", Double.NaN, OptionalDouble.empty()),
        tuple("28-0316a2794b00", Double.NaN, OptionalDouble.empty()),
        tuple("28-0316a2794b01", Double.NaN, OptionalDouble.empty()));
    // The local alarm judges the corrected value too.
    assertThat(heard.get(0).celsius()).isEqualTo(4.005);
  }

  @Test
  void readingsTakenBeforeTheClockIsSynchronised_areCorrectedWhenItIs_inTheirOrder() {
    time.onSynchronised(outbox::correctTimes);
    Sampler s = sampler(tick -> { }, probe("28-0316a2794aff", Optional.empty()));

    s.tick();                                   // 20 s after boot, clock says 1970
    passes(Duration.ofSeconds(60));
    s.tick();
    passes(Duration.ofSeconds(60));
    synchronise();                              // NTP sets the clock at 140 s after boot
    s.tick();
    passes(Duration.ofSeconds(60));
    s.tick();

    long sync = SYNCED_AT.toEpochMilli();
    assertThat(outbox.readAfter(0, 10))
        .extracting(Reading::seq, Reading::time, Reading::clockSynced, Reading::timeCorrected)
        .containsExactly(
            tuple(1L, sync - 120_000, true, true),
            tuple(2L, sync - 60_000, true, true),
            tuple(3L, sync, true, false),
            tuple(4L, sync + 60_000, true, false));
  }

  @Test
  void readingsNotYetSynchronised_areStoredFlagged() {
    Sampler s = sampler(tick -> { }, probe("28-0316a2794aff", Optional.empty()));

    s.tick();

    assertThat(outbox.readAfter(0, 10)).extracting(Reading::time, Reading::clockSynced, Reading::timeCorrected)
        .containsExactly(tuple(20_000L, false, false));
  }

  @Test
  void wallClockStepsBackOneHourBetweenTicks_outboxKeepsItsOrder_andNoEngineDropsAReading() {
    synchronise();
    LocalAlarms alarms = new LocalAlarms(Map.of(UNIT, RBC), time.clock(), Duration.ofMinutes(30), List.of());
    Sampler s = sampler(alarms::onSampled, probe("28-0316a2794aff", Optional.empty()));
    s.tick();
    passes(Duration.ofSeconds(60));
    s.tick();

    wall.advance(Duration.ofHours(-1));         // someone sets the clock back an hour
    answer.set(SensorReading.ok(8.0));          // and the fridge warms past +6 °C
    for (int minute = 0; minute < 8; minute++) {
      passes(Duration.ofSeconds(60));
      s.tick();
    }

    List<Reading> stored = outbox.readAfter(0, 100);
    assertThat(stored).extracting(Reading::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(stored).extracting(Reading::time).isSorted().doesNotHaveDuplicates();
    // The gateway's engine, fed in seq order, finds nothing out of order and raises the alarm.
    UnitState state = UnitState.start(stored.get(0).time());
    List<AlarmKind> raised = new ArrayList<>();
    for (Reading r : stored) {
      ExcursionEngine.Outcome o = ExcursionEngine.onSample(RBC, state, new Sample(r.time(), r.celsius(), r.valid()),
          r.time());
      assertThat(o.outOfOrder()).as("reading %d out of order", r.seq()).isFalse();
      o.events().forEach(e -> raised.add(e.kind()));
      state = o.state();
    }
    assertThat(raised).contains(AlarmKind.HIGH_TEMPERATURE);
    // So does the local alarm: 8 minutes above +6 °C, past its 5-minute delay.
    assertThat(alarms.panel().alarms(UNIT)).contains(AlarmKind.HIGH_TEMPERATURE);
  }

  @Test
  void localAlarm_startsAfreshWhenTheClockIsSet_insteadOfIgnoringReadingsOrCountingTheJump() {
    LocalAlarms alarms = new LocalAlarms(Map.of(UNIT, RBC), time.clock(), Duration.ofMinutes(30), List.of());
    time.onSynchronised(sync -> alarms.clockSet(sync.shift()));
    Sampler s = sampler(alarms::onSampled, probe("28-0316a2794aff", Optional.empty()));
    s.tick();                                   // 1970, in range
    passes(Duration.ofSeconds(60));

    synchronise();                              // 56 years forward
    s.tick();
    alarms.check();

    // Without the fresh start, the jump would be 56 years without a reading: monitoring lost.
    assertThat(alarms.panel().active()).isEmpty();
    answer.set(SensorReading.ok(8.0));
    for (int minute = 0; minute < 6; minute++) {
      passes(Duration.ofSeconds(60));
      s.tick();
    }
    assertThat(alarms.panel().alarms(UNIT)).contains(AlarmKind.HIGH_TEMPERATURE);
  }
}
