package org.sangfroid.gateway.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sangfroid.gateway.Fixtures.FREEZER;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.T0;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.ExcursionEvent;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.store.AlarmHistoryRow;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.AlarmState;
import org.sangfroid.gateway.store.Disposition;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.TestDatabase;

/** Issue 4: acknowledging and closing alarms raised and cleared by the engine, with their history. */
@ParameterizedClass
@EnumSource(TestDatabase.Vendor.class)
class AlarmDeskTest {
  @Parameter TestDatabase.Vendor vendor;
  @TempDir Path dir;

  private TestDatabase db;

  private final MutableClock clock = new MutableClock(T0);
  private Fleet fleet;
  private GatewayStore store;
  private AlarmBook book;
  private AlarmDesk desk;

  @BeforeEach
  void open() {
    db = TestDatabase.create(vendor, dir);
    fleet = Fixtures.config(dir).fleet();
    store = db.open();
    book = new AlarmBook(new SimpleMeterRegistry(), clock);
    desk = new AlarmDesk(store, clock);
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

  private static long at(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes)).toEpochMilli();
  }

  /** Engine events for {@code unit}, as the ingest would record them. */
  private List<AlarmChange> engine(String unit, ExcursionEvent... events) {
    List<AlarmChange> changes = store.write(tx -> book.record(tx, fleet.unit(unit).orElseThrow(), List.of(events)));
    book.committed(changes);
    return changes;
  }

  private static ExcursionEvent.Raised raised(AlarmKind kind, int minutes) {
    return new ExcursionEvent.Raised(kind, at(minutes - 5), at(minutes), 7.2, 6.0, 7.2, false);
  }

  private long raiseAndClear(AlarmKind kind) {
    long id = engine(FRIDGE, raised(kind, 5)).get(0).alarm().id();
    engine(FRIDGE, new ExcursionEvent.Cleared(kind, at(9), 7.8));
    return id;
  }

  @Test
  void acknowledgeThenClose_clearedAlarm_isClosedWithEveryTransitionInItsHistory() {
    long id = raiseAndClear(AlarmKind.HIGH_TEMPERATURE);
    clock.set(T0.plus(Duration.ofMinutes(20)));

    AlarmDesk.Outcome ack = desk.acknowledge(id, " ana ", "Door left open after delivery; closed it.");
    clock.set(T0.plus(Duration.ofMinutes(30)));
    AlarmDesk.Outcome closed = desk.close(id, "ana", "Door not latched", "quarantined");

    assertThat(ack).isInstanceOfSatisfying(AlarmDesk.Done.class,
        d -> assertThat(d.alarm().state()).isEqualTo(AlarmState.CLEARED));
    assertThat(closed).isInstanceOfSatisfying(AlarmDesk.Done.class, d -> {
      AlarmRow a = d.alarm();
      assertThat(a.state()).isEqualTo(AlarmState.CLOSED);
      assertThat(a.acknowledged().orElseThrow().user()).isEqualTo("ana");
      assertThat(a.closed().orElseThrow().disposition()).isEqualTo(Disposition.QUARANTINED);
      assertThat(d.audit().action()).isEqualTo("alarm.closed");
      assertThat(d.audit().actor()).isEqualTo("ana");
    });
    assertThat(store.alarmHistory(id)).extracting(AlarmHistoryRow::event, AlarmHistoryRow::actor,
        AlarmHistoryRow::at).containsExactly(
        org.assertj.core.groups.Tuple.tuple("raised", "system", at(5)),
        org.assertj.core.groups.Tuple.tuple("cleared", "system", at(9)),
        org.assertj.core.groups.Tuple.tuple("acknowledged", "ana", at(20)),
        org.assertj.core.groups.Tuple.tuple("closed", "ana", at(30)));
    assertThat(store.alarmHistory(id).get(3).comment()).hasValue("root cause: Door not latched; products quarantined");
    assertThat(store.auditEntries(0, 10)).extracting(e -> e.action()).containsExactly(
        "alarm.raised", "alarm.cleared", "alarm.acknowledged", "alarm.closed");
  }

  @Test
  void acknowledge_whileConditionOn_isAcknowledgedAndStaysSoUntilTheEngineClearsIt() {
    long id = engine(FRIDGE, raised(AlarmKind.HIGH_TEMPERATURE, 5)).get(0).alarm().id();

    AlarmDesk.Outcome ack = desk.acknowledge(id, "ana", "Technician called");
    engine(FRIDGE, new ExcursionEvent.Cleared(AlarmKind.HIGH_TEMPERATURE, at(9), 7.8));

    assertThat(((AlarmDesk.Done) ack).alarm().state()).isEqualTo(AlarmState.ACKNOWLEDGED);
    AlarmRow after = store.alarm(id).orElseThrow();
    assertThat(after.state()).isEqualTo(AlarmState.CLEARED);
    assertThat(after.acknowledged()).as("both facts are kept").isPresent();
  }

  @Test
  void raise_sameKindAfterAnEarlierAlarmClearedButNotClosed_isANewAlarm() {
    long first = raiseAndClear(AlarmKind.HIGH_TEMPERATURE);

    List<AlarmChange> again = engine(FRIDGE, raised(AlarmKind.HIGH_TEMPERATURE, 15));
    List<AlarmChange> whileOn = engine(FRIDGE, raised(AlarmKind.HIGH_TEMPERATURE, 16));

    assertThat(again).singleElement().satisfies(c -> assertThat(c.alarm().id()).isNotEqualTo(first));
    assertThat(whileOn).as("one alarm with its condition on per unit and kind").isEmpty();
    assertThat(store.openAlarms(10)).extracting(AlarmRow::state)
        .containsExactly(AlarmState.ACTIVE, AlarmState.CLEARED);
  }

  @Test
  void close_cumulativeExposureWhileOn_isClosedAndALaterClearOnlyAddsToItsHistory() {
    long id = engine(FREEZER, raised(AlarmKind.CUMULATIVE_EXPOSURE, 5)).get(0).alarm().id();
    desk.acknowledge(id, "ana", "72 h allowance spent");

    AlarmDesk.Outcome closed = desk.close(id, "ana", "Compressor failure", "discarded");
    engine(FREEZER, new ExcursionEvent.Cleared(AlarmKind.CUMULATIVE_EXPOSURE, at(60), -19.0));

    assertThat(closed).isInstanceOf(AlarmDesk.Done.class);
    AlarmRow a = store.alarm(id).orElseThrow();
    assertThat(a.state()).isEqualTo(AlarmState.CLOSED);
    assertThat(a.conditionOn()).isFalse();
    assertThat(store.alarmHistory(id)).extracting(AlarmHistoryRow::event)
        .containsExactly("raised", "acknowledged", "closed", "cleared");
  }

  @Test
  void close_highTemperatureStillOn_isRefusedAndChangesNothing() {
    long id = engine(FRIDGE, raised(AlarmKind.HIGH_TEMPERATURE, 5)).get(0).alarm().id();
    desk.acknowledge(id, "ana", "Technician called");

    AlarmDesk.Outcome refused = desk.close(id, "ana", "Door", "released");

    assertThat(refused).isEqualTo(new AlarmDesk.Refused(
        "alarm " + id + " is still active: it can be closed once the condition is over."));
    assertThat(store.alarm(id).orElseThrow().state()).isEqualTo(AlarmState.ACKNOWLEDGED);
    assertThat(store.auditEntries(0, 10)).extracting(e -> e.action())
        .containsExactly("alarm.raised", "alarm.acknowledged");
  }

  @Test
  void acknowledgeOrClose_unknownAlarm_isNotFound() {
    assertThat(desk.acknowledge(99, "ana", "x")).isEqualTo(new AlarmDesk.NotFound("alarm 99 does not exist."));
    assertThat(desk.close(99, "ana", "x", "released")).isEqualTo(new AlarmDesk.NotFound("alarm 99 does not exist."));
  }

  @ParameterizedTest(name = "acknowledge [{0}] [{1}]: {2}")
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      NULL   | reason | user [] must not be blank.
      '   '  | reason | user [   ] must not be blank.
      system | reason | user [system] must not be system (the gateway's own name).
      ana    | NULL   | comment [] must not be blank.
      ana    | ' '    | comment [ ] must not be blank.
      ''     | ''     | user [] must not be blank. comment [] must not be blank.
      """)
  void acknowledge_badInput_isInvalidNamingFieldAndValue(String user, String comment, String message) {
    long id = engine(FRIDGE, raised(AlarmKind.HIGH_TEMPERATURE, 5)).get(0).alarm().id();

    assertThat(desk.acknowledge(id, user, comment)).isInstanceOfSatisfying(AlarmDesk.Invalid.class,
        i -> assertThat(i.message()).isEqualTo(message));
    assertThat(store.alarm(id).orElseThrow().acknowledged()).isEmpty();
  }

  @ParameterizedTest(name = "close [{0}] [{1}] [{2}]: {3}")
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      ana  | NULL  | released | rootCause [] must not be blank.
      ana  | door  | NULL     | disposition [] must be released, quarantined or discarded.
      ana  | door  | sold     | disposition [sold] must be released, quarantined or discarded.
      ana  | door  | Released | disposition [Released] must be released, quarantined or discarded.
      NULL | NULL  | NULL     | user [] must not be blank. rootCause [] must not be blank. disposition [] must be released, quarantined or discarded.
      """)
  void close_badInput_isInvalidNamingFieldAndValue(String user, String rootCause, String disposition,
      String message) {
    assertThat(desk.close(1, user, rootCause, disposition)).isInstanceOfSatisfying(AlarmDesk.Invalid.class,
        i -> assertThat(i.message()).isEqualTo(message));
  }

  @Test
  void acknowledge_tooLongUser_isInvalidShowingTheStartOfIt() {
    assertThat(desk.acknowledge(1, "a".repeat(101), "x")).isInstanceOfSatisfying(AlarmDesk.Invalid.class,
        i -> assertThat(i.message()).isEqualTo(
            "user [" + "a".repeat(40) + "…] must be at most 100 characters on one line."));
  }
}
