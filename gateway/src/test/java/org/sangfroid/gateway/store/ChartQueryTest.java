package org.sangfroid.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;

/** The unit chart's downsampling, done by the database, the same on SQLite and PostgreSQL (issue 5). */
@ParameterizedClass
@EnumSource(TestDatabase.Vendor.class)
class ChartQueryTest {
  private static final long T = 1_795_000_000_000L;
  private static final long MINUTE = 60_000;

  @Parameter TestDatabase.Vendor vendor;
  @TempDir Path dir;

  private TestDatabase db;
  private GatewayStore store;
  private long seq;

  @BeforeEach
  void create() {
    db = TestDatabase.create(vendor, dir);
    store = db.open();
  }

  @AfterEach
  void drop() {
    if (store != null) {
      store.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private void readings(String unit, long... timesAndCenti) {
    List<Reading> rs = new ArrayList<>();
    for (int i = 0; i < timesAndCenti.length; i += 2) {
      long c = timesAndCenti[i + 1];
      rs.add(c == Long.MIN_VALUE ? new Reading(++seq, timesAndCenti[i], unit, "p", Double.NaN, Quality.DISCONNECTED, true)
          : new Reading(++seq, timesAndCenti[i], unit, "p", c / 100.0, Quality.OK, true));
    }
    store.write(tx -> {
      rs.forEach(r -> tx.insertReading("s", "a", r, r.time()));
      return null;
    });
  }

  @Test
  void buckets_startAtFrom_includeTheirStartNotTheirEnd_andTheRangeEndIsIncluded() {
    long w = 10 * MINUTE;
    readings("u",
        T - 1, 900, // before the range
        T, 400, T + w - 1, 600, // bucket 0
        T + w, 500, // bucket 1 (its first millisecond)
        T + 3 * w, 300, // bucket 3, the range's last millisecond
        T + 3 * w + 1, 900); // after the range

    List<ChartBucket> b = store.chartBuckets("u", T, T + 3 * w, w);

    assertThat(b).extracting(ChartBucket::index).containsExactly(0L, 1L, 3L);
    assertThat(b.get(0)).satisfies(x -> {
      assertThat(x.min()).isEqualTo(4.0);
      assertThat(x.max()).isEqualTo(6.0);
      assertThat(x.mean()).isCloseTo(5.0, within(1e-9));
      assertThat(x.count()).isEqualTo(2);
    });
    assertThat(b.get(1).count()).isEqualTo(1);
    assertThat(b.get(2).max()).isEqualTo(3.0);
    assertThat(store.countReadings("u", T, T + 3 * w)).isEqualTo(4);
  }

  @Test
  void aOneMinutePeak_amongAWeekOfSteadyReadings_keepsItsMaxInItsBucket() {
    long[] week = new long[2 * 7 * 24 * 60];
    for (int i = 0; i < week.length / 2; i++) {
      week[2 * i] = T + i * MINUTE;
      week[2 * i + 1] = i == 5_000 ? 1_250 : 400; // one reading at 12.5 °C
    }
    readings("u", week);
    long w = 7 * 24 * 60 * MINUTE / 10 + 1; // ten buckets

    List<ChartBucket> b = store.chartBuckets("u", T, T + 7 * 24 * 60 * MINUTE, w);

    assertThat(b).hasSize(10);
    ChartBucket peak = b.stream().filter(x -> x.max() > 4.0).findFirst().orElseThrow();
    assertThat(peak.max()).isEqualTo(12.5);
    assertThat(peak.index()).isEqualTo(5_000 * MINUTE / w);
    assertThat(peak.mean()).as("the mean alone would hide it").isLessThan(4.01);
    assertThat(b.stream().mapToLong(ChartBucket::count).sum()).as("every reading in one bucket").isEqualTo(7 * 24 * 60);
  }

  @Test
  void invalidReadings_andOtherUnits_areNotCounted_aBucketOfFaultsOnlyIsLeftOut() {
    long w = 10 * MINUTE;
    readings("u", T, 400, T + w, Long.MIN_VALUE, T + w + MINUTE, Long.MIN_VALUE, T + 2 * w, 500);
    readings("other", T + w, 2_000);

    List<ChartBucket> b = store.chartBuckets("u", T, T + 3 * w, w);

    assertThat(b).extracting(ChartBucket::index).containsExactly(0L, 2L);
    assertThat(b).extracting(ChartBucket::max).containsExactly(4.0, 5.0);
    assertThat(store.countReadings("u", T, T + 3 * w)).as("invalid readings are readings").isEqualTo(4);
  }

  @Test
  void recentAlarmsOfUnit_newestFirst_onlyThatUnit() {
    store.write(tx -> {
      long first = tx.insertAlarm("s", "u", AlarmKind.HIGH_TEMPERATURE, 1, 2, 7, 6, 7, false).id();
      tx.clearAlarm(first, 3, 7);
      tx.insertAlarm("s", "other", AlarmKind.HIGH_TEMPERATURE, 4, 5, 7, 6, 7, false);
      tx.insertAlarm("s", "u", AlarmKind.DOOR_OPEN, 6, 7, Double.NaN, Double.NaN, Double.NaN, false);
      return null;
    });

    assertThat(store.recentAlarmsOfUnit("u", 10)).extracting(AlarmRow::kind)
        .containsExactly(AlarmKind.DOOR_OPEN, AlarmKind.HIGH_TEMPERATURE);
    assertThat(store.recentAlarmsOfUnit("u", 1)).hasSize(1);
  }
}
