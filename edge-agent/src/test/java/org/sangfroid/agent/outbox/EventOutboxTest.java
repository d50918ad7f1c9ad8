package org.sangfroid.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.excursion.Profiles;
import org.sangfroid.core.wire.AgentEvent;
import org.sangfroid.core.wire.AgentEvent.Type;
import org.sangfroid.core.wire.Quality;

/** The events' table in the outbox database (issue 3: the events priority lane). */
class EventOutboxTest {
  private static final long T = 1_768_464_000_000L;

  @TempDir Path dataDir;
  private EventOutbox events = null;
  private Outbox outbox = null;

  @AfterEach
  void close() {
    if (events != null) {
      events.close();
    }
    if (outbox != null) {
      outbox.close();
    }
  }

  private EventOutbox open() {
    if (events != null) {
      events.close();
    }
    events = EventOutbox.open(dataDir);
    return events;
  }

  private static Occurrence door(long t, boolean open) {
    return Occurrence.of(t, "rbc-fridge-1", Type.DOOR_OPEN, open);
  }

  private static List<Long> seqs(List<AgentEvent> list) {
    return list.stream().map(AgentEvent::seq).toList();
  }

  @Test
  void record_events_numberedFromOneAndReadBackInOrder() {
    open();

    assertThat(events.record(door(T, true))).hasValue(1);
    assertThat(events.record(new Occurrence(T + 1, "rbc-fridge-1", Type.LOCAL_ALARM, true, "DOOR_OPEN", true)))
        .hasValue(2);
    assertThat(events.record(door(T + 2, false))).hasValue(3);

    assertThat(events.readAfter(0, 10)).containsExactly(
        new AgentEvent(1, T, "rbc-fridge-1", Type.DOOR_OPEN, true, "", true),
        new AgentEvent(2, T + 1, "rbc-fridge-1", Type.LOCAL_ALARM, true, "DOOR_OPEN", true),
        new AgentEvent(3, T + 2, "rbc-fridge-1", Type.DOOR_OPEN, false, "", true));
    assertThat(seqs(events.readAfter(1, 1))).containsExactly(2L);
    assertThat(events.depth()).isEqualTo(3);
  }

  @Test
  void record_sameStateAsLastRecorded_storesNothing() {
    open();
    events.record(door(T, true));

    assertThat(events.record(door(T + 1, true))).isEmpty();
    assertThat(events.record(Occurrence.of(T, "rbc-fridge-1", Type.POWER_LOST, false)))
        .as("never reported means not active: nothing to end").isEmpty();
    assertThat(events.record(door(T + 2, false))).hasValue(2);
    assertThat(events.depth()).isEqualTo(2);
  }

  @Test
  void record_localAlarmsOfTwoKinds_areTwoConditions() {
    open();

    events.record(new Occurrence(T, "u1", Type.LOCAL_ALARM, true, "HIGH_TEMPERATURE", true));
    OptionalLong other = events.record(new Occurrence(T, "u1", Type.LOCAL_ALARM, true, "DOOR_OPEN", true));

    assertThat(other).hasValue(2);
  }

  @Test
  void deleteUpTo_forgetsOnlyAckedAndSeqsAreNeverReused() {
    open();
    for (int i = 0; i < 4; i++) {
      events.record(door(T + i, i % 2 == 0));
    }

    assertThat(events.deleteUpTo(3)).isEqualTo(3);
    assertThat(seqs(events.readAfter(0, 10))).containsExactly(4L);
    events.deleteUpTo(4);
    open();

    assertThat(events.depth()).isZero();
    assertThat(events.lastSeq()).isEqualTo(4);
    assertThat(events.record(door(T + 10, true))).hasValue(5);
  }

  @Test
  void reopen_keepsWaitingEventsAndTheLastStateOfEachCondition() {
    open();
    events.record(door(T, true));
    events.record(new Occurrence(T + 1, "u2", Type.LOCAL_ALARM, true, "POWER_LOST", true));
    events.record(Occurrence.of(T + 2, "u2", Type.ALARM_MUTED, true));
    events.record(Occurrence.of(T + 3, "u2", Type.ALARM_MUTED, false));
    events.deleteUpTo(4);  // the gateway has them all

    open();

    assertThat(events.depth()).isZero();
    assertThat(events.activeConditions()).extracting(Occurrence::unit, Occurrence::type, Occurrence::detail)
        .containsExactlyInAnyOrder(tuple("rbc-fridge-1", Type.DOOR_OPEN, ""), tuple("u2", Type.LOCAL_ALARM,
            "POWER_LOST"));
    assertThat(events.record(door(T + 5, true))).as("still open: already reported").isEmpty();
    assertThat(events.record(door(T + 6, false))).hasValue(5);
  }

  @Test
  void fullReadingsOutbox_dropsReadingsNeverEvents() {
    outbox = Outbox.open(dataDir, Outbox.MIN_MAX_READINGS,
        new BeyondRules(Map.of("rbc-fridge-1", Profiles.byId("RBC_STORE_EU").orElseThrow())), Clock.systemUTC());
    open();
    events.record(door(T, true));

    for (int tick = 0; tick < 15; tick++) {
      List<Measurement> readings = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        readings.add(new Measurement(T + tick * 60_000L, "rbc-fridge-1", "28-0316a2794aff", 4.0, Quality.OK, true));
      }
      outbox.append(readings);
    }
    events.record(door(T + 900_000, false));

    assertThat(outbox.dropped()).isEqualTo(500);
    assertThat(seqs(events.readAfter(0, 10))).containsExactly(1L, 2L);
  }

  @Test
  void recordWhileTheReadingsAreWritten_bothSucceed() {
    outbox = Outbox.open(dataDir);
    open();

    CompletableFuture<Void> readings = CompletableFuture.runAsync(() -> {
      for (int tick = 0; tick < 200; tick++) {
        outbox.append(List.of(new Measurement(T + tick, "u1", "28-0316a2794aff", 4.0, Quality.OK, true)));
        outbox.readAfter(0, 500);
      }
    });
    for (int i = 0; i < 100; i++) {
      events.record(door(T + i, i % 2 == 0));
      events.readAfter(0, 10);
      events.continueAfter(0);
    }
    readings.join();

    assertThat(events.lastSeq()).isEqualTo(100);
    assertThat(outbox.lastSeq()).isEqualTo(200);
  }

  @Test
  void continueAfter_ackBeyondAnythingNumbered_waitingEventsFollowIt() {
    open();
    events.record(door(T, true));
    events.record(door(T + 1, false));

    assertThat(events.continueAfter(40)).isTrue();

    assertThat(seqs(events.readAfter(0, 10))).containsExactly(41L, 42L);
    assertThat(events.record(door(T + 2, true))).hasValue(43);
    assertThat(events.continueAfter(43)).isFalse();
  }

  @Test
  void continueAfter_emptyOutbox_nextSeqFollows() {
    open();

    events.continueAfter(7);

    assertThat(events.record(door(T, true))).hasValue(8);
  }

  @Test
  void closed_callsFail() {
    open().close();

    assertThatThrownBy(() -> events.record(door(T, true))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void seqs_areOneToNWithoutGaps() {
    open();
    for (int i = 0; i < 50; i++) {
      events.record(door(T + i, i % 2 == 0));
    }

    assertThat(seqs(events.readAfter(0, 1000))).containsExactlyElementsOf(
        LongStream.rangeClosed(1, 50).boxed().toList());
  }
}
