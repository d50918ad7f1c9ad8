package org.sangfroid.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.clock.BootTime;
import org.sangfroid.agent.clock.Synchronisation;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;

/** The outbox's raw values and its correction of times taken before the clock was synchronised (issue 3). */
class OutboxClockTest {
  @TempDir Path dir;
  private static final long BOOT = 7;
  private static final long SYNC_WALL = 1_795_428_000_000L; // 2026-11-23T10:00:00Z

  private static Measurement unsynced(long t, long boot, long uptime, double celsius) {
    return new Measurement(t, "rbc-fridge-1", "28-0316a2794aff", celsius, Quality.OK, false, OptionalDouble.empty(),
        Optional.of(new BootTime(boot, uptime)));
  }

  @Test
  void rawValue_isStoredAndReadBack_onlyWhereACalibrationChangedTheValue() {
    try (Outbox outbox = Outbox.open(dir)) {
      outbox.append(List.of(
          new Measurement(1_000, "rbc-fridge-1", "28-0316a2794aff", 4.005, Quality.OK, true,
              OptionalDouble.of(4.125), Optional.empty()),
          new Measurement(1_000, "rbc-fridge-1", "28-0316a2794b00", 4.5, Quality.OK, true),
          new Measurement(1_000, "rbc-fridge-1", "28-0316a2794b01", Double.NaN, Quality.CRC_ERROR, true)));

      assertThat(outbox.readAfter(0, 10)).extracting(Reading::celsius, Reading::raw).containsExactly(
          tuple(4.005, OptionalDouble.of(4.125)),
          tuple(4.5, OptionalDouble.empty()),
          tuple(Double.NaN, OptionalDouble.empty()));
    }
  }

  @Test
  void correctTimes_movesThisBootsUnsyncedReadings_keepingTheirSeqsAndOrder() {
    try (Outbox outbox = Outbox.open(dir)) {
      outbox.append(List.of(unsynced(20_000, 99, 20_000, 4.0)));         // an earlier boot
      outbox.append(List.of(unsynced(25_000, BOOT, 25_000, 4.1)));       // this boot, 25 s after it began
      outbox.append(List.of(unsynced(85_000, BOOT, 85_000, 4.2)));
      outbox.append(List.of(new Measurement(SYNC_WALL, "rbc-fridge-1", "28-0316a2794aff", 4.3, Quality.OK, true)));

      int corrected = outbox.correctTimes(new Synchronisation(new BootTime(BOOT, 145_000), SYNC_WALL, 0));

      assertThat(corrected).isEqualTo(2);
      assertThat(outbox.readAfter(0, 10))
          .extracting(Reading::seq, Reading::time, Reading::clockSynced, Reading::timeCorrected, Reading::celsius)
          .containsExactly(
              tuple(1L, 20_000L, false, false, 4.0),
              tuple(2L, SYNC_WALL - 120_000, true, true, 4.1),
              tuple(3L, SYNC_WALL - 60_000, true, true, 4.2),
              tuple(4L, SYNC_WALL, true, false, 4.3));
      assertThat(outbox.oldestTime()).hasValue(20_000);
      // Corrected once: a second synchronisation (another agent process, same boot) changes nothing.
      assertThat(outbox.correctTimes(new Synchronisation(new BootTime(BOOT, 200_000), SYNC_WALL + 55_000, 0)))
          .isZero();
    }
  }

  @Test
  void correctedTimes_surviveARestart() {
    try (Outbox outbox = Outbox.open(dir)) {
      outbox.append(List.of(unsynced(25_000, BOOT, 25_000, 4.1)));
      outbox.correctTimes(new Synchronisation(new BootTime(BOOT, 85_000), SYNC_WALL, 0));
    }
    try (Outbox again = Outbox.open(dir)) {
      assertThat(again.readAfter(0, 10)).extracting(Reading::time, Reading::clockSynced, Reading::timeCorrected)
          .containsExactly(tuple(SYNC_WALL - 60_000, true, true));
    }
  }

  @Test
  void outboxOfAnOlderAgent_opensWithItsReadings_andTakesTheNewColumns() throws Exception {
    Files.createDirectories(dir);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Outbox.FILE_NAME));
        Statement st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, t INTEGER NOT NULL,"
          + " unit TEXT NOT NULL, sensor TEXT NOT NULL, value REAL, quality TEXT NOT NULL, synced INTEGER NOT NULL,"
          + " period INTEGER NOT NULL DEFAULT 0)");
      st.executeUpdate("INSERT INTO outbox (t, unit, sensor, value, quality, synced) VALUES"
          + " (1000, 'rbc-fridge-1', '28-0316a2794aff', 4.25, 'ok', 1), (2000, 'rbc-fridge-1', '28-0316a2794aff',"
          + " 4.5, 'ok', 0)");
    }

    try (Outbox outbox = Outbox.open(dir)) {
      outbox.append(List.of(new Measurement(3_000, "rbc-fridge-1", "28-0316a2794aff", 4.0, Quality.OK, true,
          OptionalDouble.of(4.1), Optional.empty())));

      assertThat(outbox.readAfter(0, 10))
          .extracting(Reading::seq, Reading::time, Reading::clockSynced, Reading::raw)
          .containsExactly(
              tuple(1L, 1_000L, true, OptionalDouble.empty()),
              tuple(2L, 2_000L, false, OptionalDouble.empty()),
              tuple(3L, 3_000L, true, OptionalDouble.of(4.1)));
      // Its unsynchronised reading has no monotonic time: it cannot be corrected, and is not.
      assertThat(outbox.correctTimes(new Synchronisation(new BootTime(BOOT, 5_000), SYNC_WALL, 0))).isZero();
    }
  }
}
