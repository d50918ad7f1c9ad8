package org.sangfroid.simulator.virtual;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.core.wire.ReadingBatch;

/**
 * A virtual agent's outbox, in memory: readings from the moment they are taken until the gateway
 * acknowledges them, at most {@code capacity}. When a tick would pass that, it drops, as the real
 * agent's outbox does, the oldest readings outside excursions first (an excursion reading is
 * invalid or beyond a limit of its unit's profile), then only if none is left the oldest
 * excursion readings; never the tick being stored. (The real agent also keeps the tick just
 * before and after an excursion; this one does not.) The dropped sequence numbers are kept as
 * gaps until the gateway's ack passes them, so each batch can say what will never come. Not
 * thread-safe.
 */
final class Outbox {
  private final int capacity;
  private final NavigableMap<Long, Reading> held = new TreeMap<>();
  private final ArrayDeque<Long> normal = new ArrayDeque<>();
  private final ArrayDeque<Long> excursion = new ArrayDeque<>();
  private final NavigableMap<Long, Long> dropped = new TreeMap<>();
  private long nextSeq = 1;
  private long droppedCount;

  Outbox(int capacity) {
    Checks.require(capacity >= 1, "capacity", capacity, "be at least 1");
    this.capacity = capacity;
  }

  /** Numbers and keeps one tick's readings, dropping older ones if it must; returns them numbered. */
  List<Reading> add(Collection<Measurement> tick) {
    int room = capacity - held.size();
    for (int i = 0; i < tick.size() - room; i++) {
      dropOne();
    }
    List<Reading> out = new ArrayList<>(tick.size());
    for (Measurement t : tick) {
      Long seq = nextSeq++; // one box for both maps: a fleet takes millions of readings
      Reading r = new Reading(seq, t.time(), t.unit(), t.sensor(), t.celsius(), t.quality(), t.clockSynced());
      held.put(seq, r);
      (t.excursion() ? excursion : normal).addLast(seq);
      out.add(r);
    }
    return out;
  }

  private void dropOne() {
    Long seq = firstHeld(normal);
    if (seq == null) {
      seq = firstHeld(excursion);
    }
    if (seq == null) {
      return; // the tick alone is larger than the outbox: kept whole
    }
    held.remove(seq);
    droppedCount++;
    long from = seq;
    long to = seq;
    Map.Entry<Long, Long> before = dropped.floorEntry(seq - 1);
    if (before != null && before.getValue() == seq - 1) {
      from = before.getKey();
    }
    Long after = dropped.containsKey(seq + 1) ? dropped.remove(seq + 1) : null;
    if (after != null) {
      to = after;
    }
    dropped.put(from, to);
  }

  private Long firstHeld(ArrayDeque<Long> queue) {
    while (!queue.isEmpty() && !held.containsKey(queue.peekFirst())) {
      queue.pollFirst(); // acked or dropped already
    }
    return queue.pollFirst();
  }

  /** Forgets everything up to {@code upTo}: the gateway has stored it (or knows it will never come). */
  void ack(long upTo) {
    held.headMap(upTo, true).clear();
    dropped.headMap(upTo, true).entrySet().removeIf(e -> e.getValue() <= upTo);
  }

  /** Held readings after {@code seq}, at most {@code max}, in sequence order. */
  List<Reading> after(long seq, int max) {
    List<Reading> out = new ArrayList<>(Math.min(max, held.size()));
    for (Reading r : held.tailMap(seq, false).values()) {
      if (out.size() == max) {
        break;
      }
      out.add(r);
    }
    return out;
  }

  /**
   * A batch of {@code readings} (in order, all held) as the real agent sends it: {@code oldest}
   * is the oldest reading held, {@code gaps} the dropped ranges below the batch's last reading
   * that the gateway has not acknowledged past, at most one per reading.
   */
  ReadingBatch batch(String site, String agent, List<Reading> readings) {
    long last = readings.get(readings.size() - 1).seq();
    List<ReadingBatch.Gap> gaps = new ArrayList<>();
    for (Map.Entry<Long, Long> g : dropped.headMap(last, false).entrySet()) {
      if (gaps.size() == readings.size() || g.getValue() >= last) {
        break;
      }
      gaps.add(new ReadingBatch.Gap(g.getKey(), g.getValue()));
    }
    return new ReadingBatch(site, agent, held.firstKey(), gaps, readings);
  }

  /** Readings held (taken, not yet acknowledged). */
  int depth() {
    return held.size();
  }

  /** The last sequence number given, 0 before the first reading. */
  long lastSeq() {
    return nextSeq - 1;
  }

  /** Readings dropped because the outbox was full. */
  long dropped() {
    return droppedCount;
  }
}
