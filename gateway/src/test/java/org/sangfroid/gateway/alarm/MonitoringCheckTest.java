package org.sangfroid.gateway.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sangfroid.gateway.Fixtures.FREEZER;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.INCUBATOR;
import static org.sangfroid.gateway.Fixtures.T0;
import static org.sangfroid.gateway.Fixtures.batch;
import static org.sangfroid.gateway.Fixtures.reading;
import static org.sangfroid.gateway.Fixtures.readingsTopic;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.ingest.Ingest;
import org.sangfroid.gateway.ingest.IngestResult;
import org.sangfroid.gateway.store.AlarmState;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.Vendor.class)
class MonitoringCheckTest {
  @Parameter TestDatabase.Vendor vendor;
  @TempDir Path dir;

  private TestDatabase db;

  private final MutableClock clock = new MutableClock(T0);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private Fleet fleet;
  private GatewayStore store;
  private MonitoringCheck check;
  private Ingest ingest;

  @BeforeEach
  void open() {
    db = TestDatabase.create(vendor, dir);
    fleet = Fixtures.config(dir).fleet();
    store = db.open();
    AlarmBook book = new AlarmBook(meters);
    check = new MonitoringCheck(fleet, store, book, clock);
    ingest = new Ingest(fleet, store, book, meters, clock);
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
    if (db != null) {
      db.close(); // null when PostgreSQL was not there (the test was skipped)
    }
  }

  @Test
  void check_firstRun_startsEveryConfiguredUnitAtTheGatewayClock() {
    assertThat(check.run()).isEmpty();

    assertThat(fleet.units()).allSatisfy(u ->
        assertThat(store.unitState(u.id()).orElseThrow().watchSince()).isEqualTo(T0.toEpochMilli()));
  }

  @Test
  void check_unitSilentForMonitoringLostAfter_raisesMonitoringLostOnceAndValidReadingClearsIt() {
    check.run();
    clock.advance(Duration.ofMinutes(2));
    IngestResult first = ingest.accept(readingsTopic(), batch(reading(1, 1, FRIDGE, 4.0)));
    assertThat(first).isInstanceOf(IngestResult.Stored.class);

    clock.set(T0.plus(Duration.ofMinutes(10)));
    List<AlarmChange> atTen = check.run();
    clock.set(T0.plus(Duration.ofMinutes(11)));
    List<AlarmChange> atEleven = check.run();
    clock.set(T0.plus(Duration.ofMinutes(12)));
    List<AlarmChange> atTwelve = check.run();

    // the freezer and the incubator never reported: lost since the gateway started watching
    assertThat(atTen).extracting(c -> c.alarm().unit()).containsExactlyInAnyOrder(FREEZER, INCUBATOR);
    assertThat(atTen).allSatisfy(c -> {
      assertThat(c.type()).isEqualTo(AlarmChange.Type.RAISED);
      assertThat(c.alarm().kind()).isEqualTo(AlarmKind.MONITORING_LOST);
      assertThat(c.alarm().startedAt()).isEqualTo(T0.toEpochMilli());
    });
    assertThat(atEleven).singleElement().satisfies(c -> {
      assertThat(c.alarm().unit()).isEqualTo(FRIDGE);
      assertThat(c.alarm().startedAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)).toEpochMilli());
      assertThat(c.alarm().raisedAt()).isEqualTo(T0.plus(Duration.ofMinutes(11)).toEpochMilli());
      assertThat(c.alarm().triggerValue()).isEmpty();
    });
    assertThat(atTwelve).isEmpty();

    IngestResult.Stored back = (IngestResult.Stored) ingest.accept(readingsTopic(),
        batch(reading(2, 11.5, FRIDGE, 4.2)));
    assertThat(back.alarms()).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo(AlarmChange.Type.CLEARED);
      assertThat(c.alarm().state()).isEqualTo(AlarmState.CLEARED);
      assertThat(c.alarm().clearedAt()).hasValue(T0.plus(Duration.ofSeconds(690)).toEpochMilli());
    });
    assertThat(meters.get("sangfroid.alarms.raised").tag("kind", "monitoring_lost").counter().count())
        .isEqualTo(3);
  }
}
