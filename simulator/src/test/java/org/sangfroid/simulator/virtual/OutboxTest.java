package org.sangfroid.simulator.virtual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.core.wire.ReadingBatch;

class OutboxTest {
  private static Measurement normal(long t) {
    return new Measurement(t, "fridge-1", "probe-1", 4.0, Quality.OK, true, false);
  }

  private static Measurement excursion(long t) {
    return new Measurement(t, "fridge-1", "probe-1", 7.0, Quality.OK, true, true);
  }

  private static List<Long> seqs(List<Reading> readings) {
    return readings.stream().map(Reading::seq).toList();
  }

  @Test
  void add_numbersFromOneAndKeepsUntilAcked() {
    Outbox box = new Outbox(100);

    List<Reading> first = box.add(List.of(normal(1), normal(2)));
    box.add(List.of(normal(3)));
    box.ack(2);

    assertThat(seqs(first)).containsExactly(1L, 2L);
    assertThat(box.depth()).isEqualTo(1);
    assertThat(seqs(box.after(0, 10))).containsExactly(3L);
    assertThat(box.lastSeq()).isEqualTo(3);
  }

  @Test
  void add_full_dropsTheOldestNormalReadingsFirstThenExcursions() {
    Outbox box = new Outbox(4);
    box.add(List.of(excursion(1), normal(2), excursion(3), normal(4)));

    box.add(List.of(normal(5), normal(6))); // drops 2 and 4, the normal ones
    box.add(List.of(normal(7)));            // drops 5 now the oldest normal

    assertThat(seqs(box.after(0, 10))).containsExactly(1L, 3L, 6L, 7L);
    assertThat(box.dropped()).isEqualTo(3);
    box.add(List.of(normal(8), normal(9), normal(10))); // drops 6 and 7, then 1, the oldest excursion
    assertThat(seqs(box.after(0, 10))).containsExactly(3L, 8L, 9L, 10L);
  }

  @Test
  void batch_saysTheOldestHeldAndTheDroppedRangesBelowItsLastReading() {
    Outbox box = new Outbox(5);
    box.add(List.of(excursion(1), normal(2), normal(3), excursion(4), normal(5)));
    box.add(List.of(normal(6), normal(7), normal(8))); // drops 2, 3, 5

    ReadingBatch batch = box.batch("casa-01", "agent-01", box.after(0, 10));

    assertThat(seqs(batch.readings())).containsExactly(1L, 4L, 6L, 7L, 8L);
    assertThat(batch.oldest()).isEqualTo(1);
    assertThat(batch.gaps()).containsExactly(new ReadingBatch.Gap(2, 3), new ReadingBatch.Gap(5, 5));
  }

  @Test
  void batch_afterAnAck_leavesOutTheGapsTheGatewayPassed() {
    Outbox box = new Outbox(3);
    box.add(List.of(normal(1), normal(2), normal(3)));
    box.add(List.of(normal(4), normal(5))); // drops 1, 2
    box.ack(3);
    box.add(List.of(normal(6)));

    ReadingBatch batch = box.batch("casa-01", "agent-01", box.after(3, 10));

    assertThat(seqs(batch.readings())).containsExactly(4L, 5L, 6L);
    assertThat(batch.gaps()).isEmpty();
    assertThat(batch.oldest()).isEqualTo(4);
  }

  @Test
  void batch_manyGaps_atMostOnePerReading() {
    Outbox box = new Outbox(4);
    List<Measurement> tick = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tick.add(excursion(i));
    }
    box.add(tick);
    for (int i = 0; i < 6; i++) { // normal readings, each dropped by the next
      box.add(List.of(normal(10 + i)));
      box.add(List.of(excursion(20 + i)));
    }

    List<Reading> readings = box.after(0, 2);
    ReadingBatch batch = box.batch("casa-01", "agent-01", readings);

    assertThat(batch.gaps().size()).isLessThanOrEqualTo(readings.size());
  }
}
