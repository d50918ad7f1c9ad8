package org.sangfroid.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.excursion.Profiles;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;

class OutboxTest {
  @TempDir Path dataDir;
  private Outbox outbox;

  @BeforeEach
  void open() {
    outbox = Outbox.open(dataDir);
  }

  @AfterEach
  void close() {
    outbox.close();
  }

  private static List<Measurement> tick(long time, int n) {
    List<Measurement> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Measurement(time, "rbc-fridge-1", "28-00000000000" + (i % 10), 4.0 + i / 100.0, Quality.OK, true));
    }
    return out;
  }

  private static List<Long> seqs(List<Reading> readings) {
    return readings.stream().map(Reading::seq).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void append_twoTicks_returnsIncreasingSeqsInOrder() {
    assertThat(outbox.append(tick(1000, 3))).containsExactly(1L, 2L, 3L);
    assertThat(outbox.append(tick(2000, 2))).containsExactly(4L, 5L);
    assertThat(outbox.depth()).isEqualTo(5);
    assertThat(outbox.lastSeq()).isEqualTo(5);
  }

  @Test
  void readAfter_storedTicks_returnsReadingsInSeqOrderWithTheirFields() {
    outbox.append(List.of(
        new Measurement(1000, "rbc-fridge-1", "28-0316a2794aff", 4.25, Quality.OK, true),
        new Measurement(1000, "rbc-fridge-1", "28-0316a2794b00", Double.NaN, Quality.CRC_ERROR, false)));
    outbox.append(List.of(new Measurement(61000, "ffp-freezer-1", "28-00000b0c1d2e", -30.5, Quality.OK, true)));

    List<Reading> all = outbox.readAfter(0, 10);

    assertThat(all).hasSize(3);
    assertThat(all.get(0)).isEqualTo(new Reading(1, 1000, "rbc-fridge-1", "28-0316a2794aff", 4.25, Quality.OK, true));
    assertThat(all.get(1).quality()).isEqualTo(Quality.CRC_ERROR);
    assertThat(all.get(1).celsius()).isNaN();
    assertThat(all.get(1).clockSynced()).isFalse();
    assertThat(all.get(2)).isEqualTo(new Reading(3, 61000, "ffp-freezer-1", "28-00000b0c1d2e", -30.5, Quality.OK, true));
  }

  @Test
  void readAfter_limitAndOffset_returnsTheNextPage() {
    outbox.append(tick(1000, 10));

    assertThat(seqs(outbox.readAfter(0, 4))).isEqualTo(range(1, 4));
    assertThat(seqs(outbox.readAfter(4, 4))).isEqualTo(range(5, 8));
    assertThat(seqs(outbox.readAfter(8, 4))).isEqualTo(range(9, 10));
    assertThat(outbox.readAfter(10, 4)).isEmpty();
  }

  @Test
  void deleteUpTo_ack_removesOnlyRowsUpToIt() {
    outbox.append(tick(1000, 10));

    assertThat(outbox.oldestSeq()).isEqualTo(1);
    assertThat(outbox.deleteUpTo(6)).isEqualTo(6);

    assertThat(outbox.depth()).isEqualTo(4);
    assertThat(outbox.oldestSeq()).isEqualTo(7);
    assertThat(seqs(outbox.readAfter(0, 100))).isEqualTo(range(7, 10));
    assertThat(outbox.deleteUpTo(6)).isZero();
  }

  @Test
  void reopen_afterClose_keepsRowsAndDepth() {
    outbox.append(tick(1000, 5));
    outbox.deleteUpTo(2);
    outbox.close();

    outbox = Outbox.open(dataDir);

    assertThat(outbox.depth()).isEqualTo(3);
    assertThat(seqs(outbox.readAfter(0, 100))).isEqualTo(range(3, 5));
  }

  @Test
  void append_afterAllDeletedAndReopen_neverReusesASeq() {
    outbox.append(tick(1000, 5));
    outbox.deleteUpTo(5);
    outbox.close();
    outbox = Outbox.open(dataDir);

    assertThat(outbox.depth()).isZero();
    assertThat(outbox.oldestSeq()).isZero();
    assertThat(outbox.append(tick(2000, 2))).containsExactly(6L, 7L);
  }

  @Test
  void open_newFile_usesWriteAheadLog() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("outbox.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("wal");
    }
    assertThat(outbox.file()).isEqualTo(dataDir.resolve("outbox.db"));
  }

  @Test
  void open_missingDataDir_createsIt() {
    Path nested = dataDir.resolve("var/lib/sangfroid");

    try (Outbox other = Outbox.open(nested)) {
      assertThat(other.file()).exists();
    }
  }

  @Test
  void continueAfter_ackBeyondLastSeq_renumbersWaitingRowsToFollowIt() {
    outbox.append(tick(1000, 3));
    outbox.deleteUpTo(1);

    assertThat(outbox.continueAfter(1000)).isTrue();

    assertThat(seqs(outbox.readAfter(0, 10))).containsExactly(1001L, 1002L);
    assertThat(outbox.append(tick(2000, 1))).containsExactly(1003L);
    assertThat(outbox.depth()).isEqualTo(3);
  }

  @Test
  void continueAfter_emptyNewOutbox_nextSeqFollowsTheAck() {
    assertThat(outbox.continueAfter(41)).isTrue();

    assertThat(outbox.append(tick(1000, 1))).containsExactly(42L);
  }

  @Test
  void continueAfter_ackWithinNumbering_changesNothing() {
    outbox.append(tick(1000, 3));

    assertThat(outbox.continueAfter(3)).isFalse();
    assertThat(outbox.continueAfter(2)).isFalse();

    assertThat(seqs(outbox.readAfter(0, 10))).isEqualTo(range(1, 3));
  }

  @Test
  void readAfter_unreadableRow_throwsAndSeesTheRowOnceRepaired() throws Exception {
    outbox.append(tick(1000, 2));
    String url = "jdbc:sqlite:" + outbox.file();
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE outbox SET quality = 'melted' WHERE seq = 1");
    }

    assertThatThrownBy(() -> outbox.readAfter(0, 10))
        .isInstanceOf(OutboxException.class)
        .hasMessageContaining("row 1 has an unknown quality [melted]");

    // The failed read must not leave a transaction open on an old snapshot.
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE outbox SET quality = 'ok' WHERE seq = 1");
    }
    assertThat(seqs(outbox.readAfter(0, 10))).isEqualTo(range(1, 2));
  }

  @Test
  void append_afterClose_throws() {
    outbox.close();

    assertThatThrownBy(() -> outbox.append(tick(1000, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }

  // ---- issue 3: the bound and its drop order ----

  private static final BeyondRules RBC = new BeyondRules(Map.of("rbc-fridge-1", Profiles.byId("RBC_STORE_EU").orElseThrow()));
  private static final Instant T0 = Instant.parse("2026-01-15T08:00:00Z");

  /** A tick of {@code n} readings of the RBC fridge: N in range (4 °C), E beyond (9 °C), F probe fault. */
  private static List<Measurement> rbcTick(long time, char kind, int n) {
    List<Measurement> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(switch (kind) {
        case 'N' -> new Measurement(time, "rbc-fridge-1", "28-0316a2794aff", 4.0, Quality.OK, true);
        case 'E' -> new Measurement(time, "rbc-fridge-1", "28-0316a2794aff", 9.0, Quality.OK, true);
        case 'F' -> new Measurement(time, "rbc-fridge-1", "28-0316a2794aff", Double.NaN, Quality.DISCONNECTED, true);
        default -> throw new IllegalArgumentException("tick kind " + kind);
      });
    }
    return out;
  }

  /** K or - for each tick of 100 readings: whether its rows are all still in the outbox, or all gone. */
  private static String kept(Outbox o, int ticks) {
    List<Long> left = seqs(o.readAfter(0, 100_000));
    StringBuilder mask = new StringBuilder();
    for (int t = 0; t < ticks; t++) {
      long from = t * 100L + 1;
      long n = left.stream().filter(seq -> seq >= from && seq < from + 100).count();
      mask.append(n == 100 ? 'K' : n == 0 ? '-' : '?');
    }
    return mask.toString();
  }

  /**
   * Issue 3, acceptance 3: with room for 1,000 readings and ticks of 100, each tick past the
   * tenth drops 100 readings: in-range ones first, oldest first; an excursion period (the
   * excursion ticks, one tick before and one after) only when nothing else is left.
   */
  @ParameterizedTest(name = "{0} keeps {1}")
  @CsvSource(delimiter = '|', textBlock = """
      NNNNNNNNNNN    | -KKKKKKKKKK    | 100 | 0    | oldest in-range tick goes first
      NNENNNNNNNNN   | -KKK-KKKKKKK   | 200 | 0    | the period 1..3 stays whole; tick 4 goes instead
      ENNNNNNNNNNNN  | KK---KKKKKKKK  | 300 | 0    | the period's end (tick 1) stays with it
      NNNNNNNNNNE    | -KKKKKKKKKK    | 100 | 0    | the tick before a new excursion is marked at once
      NFNNNNNNNNNN   | KKK--KKKKKKK   | 200 | 0    | a probe fault is an excursion: missing data is evidence
      EEEEEEEEEEE    | -KKKKKKKKKK    | 100 | 100  | only excursions left: the oldest of them goes
      NENENENENENE   | --KKKKKKKKKK   | 200 | 200  | everything is in a period: oldest first
      """)
  void append_fullOutbox_dropsInDocumentedOrder(String ticks, String expected, long dropped, long fromExcursions,
      String why) {
    outbox.close();
    outbox = Outbox.open(dataDir, 1000, RBC, Clock.fixed(T0, ZoneOffset.UTC));

    for (int t = 0; t < ticks.length(); t++) {
      outbox.append(rbcTick(T0.toEpochMilli() + t * 60_000L, ticks.charAt(t), 100));
    }

    assertThat(kept(outbox, ticks.length())).as(why).isEqualTo(expected);
    assertThat(outbox.depth()).isEqualTo(1000);
    assertThat(outbox.dropped()).isEqualTo(dropped);
    assertThat(outbox.droppedFromExcursions()).isEqualTo(fromExcursions);
  }

  @Test
  void append_tickLargerThanTheBound_neverDropsTheCurrentTick() {
    outbox.close();
    outbox = Outbox.open(dataDir, 1000, RBC, Clock.fixed(T0, ZoneOffset.UTC));
    outbox.append(rbcTick(T0.toEpochMilli(), 'N', 300));

    outbox.append(rbcTick(T0.toEpochMilli() + 60_000, 'N', 1200));

    assertThat(outbox.depth()).as("the older tick goes, the current one stays whole").isEqualTo(1200);
    assertThat(outbox.oldestSeq()).isEqualTo(301);
    assertThat(outbox.dropped()).isEqualTo(300);
  }

  @Test
  void dropped_reopen_countSurvivesAndThePeriodOpenAtTheStopIsClosedAfterTheRestart() {
    outbox.close();
    outbox = Outbox.open(dataDir, 1000, RBC, Clock.fixed(T0, ZoneOffset.UTC));
    for (int t = 0; t < 11; t++) {
      outbox.append(rbcTick(T0.toEpochMilli() + t * 60_000L, t == 10 ? 'E' : 'N', 100));
    }
    assertThat(outbox.dropped()).isEqualTo(100);
    outbox.close();

    outbox = Outbox.open(dataDir, 1000, RBC, Clock.fixed(T0, ZoneOffset.UTC));

    assertThat(outbox.dropped()).isEqualTo(100);
    assertThat(outbox.depth()).isEqualTo(1000);
    for (int t = 11; t < 20; t++) {
      outbox.append(rbcTick(T0.toEpochMilli() + t * 60_000L, 'N', 100));
    }
    // Ticks 9 (before), 10 (excursion, the last before the stop) and 11 (after, the first after
    // the restart) form a period: the ninth drop takes tick 12, not tick 11.
    assertThat(kept(outbox, 20)).isEqualTo("---------KKK-KKKKKKK");
    assertThat(outbox.dropped()).isEqualTo(1000);
    assertThat(outbox.droppedFromExcursions()).isZero();
  }

  @Test
  void oldestTime_isTheMeasurementTimeOfTheLowestSeq() {
    assertThat(outbox.oldestTime()).isEmpty();
    outbox.append(tick(5000, 2));
    outbox.append(tick(2000, 1));  // the clock stepped back: seq order still decides

    assertThat(outbox.oldestTime()).hasValue(5000);
    outbox.deleteUpTo(2);
    assertThat(outbox.oldestTime()).hasValue(2000);
  }

  @Test
  void open_boundOutsideAllowedRange_throws() {
    assertThatThrownBy(() -> Outbox.open(dataDir.resolve("x"), 999, RBC, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("outbox.maxReadings [999] must be from 1000 to 50000000.");
  }

  @Test
  void open_outboxFromBeforeTheBound_addsTheColumnAndKeepsRows() throws Exception {
    outbox.close();
    Path old = dataDir.resolve("old");
    java.nio.file.Files.createDirectories(old);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old.resolve("outbox.db"));
        Statement st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, t INTEGER NOT NULL,"
          + " unit TEXT NOT NULL, sensor TEXT NOT NULL, value REAL, quality TEXT NOT NULL, synced INTEGER NOT NULL)");
      st.executeUpdate("INSERT INTO outbox (t, unit, sensor, value, quality, synced)"
          + " VALUES (1000, 'rbc-fridge-1', '28-0316a2794aff', 4.0, 'ok', 1)");
    }

    outbox = Outbox.open(old, 1000, RBC, Clock.systemUTC());

    assertThat(outbox.depth()).isEqualTo(1);
    assertThat(outbox.dropped()).isZero();
    assertThat(outbox.append(rbcTick(2000, 'N', 1))).containsExactly(2L);
  }
}
