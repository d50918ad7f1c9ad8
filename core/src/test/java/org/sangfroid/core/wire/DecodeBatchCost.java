package org.sangfroid.core.wire;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * CPU time and bytes allocated per reading to decode a 1000-reading batch, the tree decoder
 * against {@link WireCodec#decodeBatch} (issue 6): on the calling thread, and in the whole process
 * (which adds the garbage collector's threads). Run by hand, not by the
 * build: {@code java -cp <core's test classpath> org.sangfroid.core.wire.DecodeBatchCost [rounds]}.
 * Each round decodes the batch 200 times with each decoder, the order alternating; the figures are
 * the medians of the rounds.
 */
public final class DecodeBatchCost {
  private static final int READINGS = 1000;
  private static final int DECODES = 200;
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private DecodeBatchCost() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    byte[] payload = WireCodec.encode(batch());
    check(WireCodec.treeBatch(payload).equals(WireCodec.decodeBatch(payload)));
    check(WireCodec.plainBatch(payload).isPresent());
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    List<double[]> tree = new ArrayList<>();
    List<double[]> stream = new ArrayList<>();
    for (int warm = 0; warm < 3; warm++) {
      measure(threads, payload, WireCodec::treeBatch);
      measure(threads, payload, WireCodec::decodeBatch);
    }
    for (int r = 0; r < rounds; r++) {
      if (r % 2 == 0) {
        tree.add(measure(threads, payload, WireCodec::treeBatch));
        stream.add(measure(threads, payload, WireCodec::decodeBatch));
      } else {
        stream.add(measure(threads, payload, WireCodec::decodeBatch));
        tree.add(measure(threads, payload, WireCodec::treeBatch));
      }
    }
    System.out.printf(Locale.ROOT, "payload %d bytes, %d readings (%.0f bytes each), %d rounds of %d decodes%n",
        payload.length, READINGS, (double) payload.length / READINGS, rounds, DECODES);
    print("tree (before)", tree);
    print("streaming (now)", stream);
  }

  private static double[] measure(com.sun.management.ThreadMXBean threads, byte[] payload,
      Function<byte[], Decoded<ReadingBatch>> decoder) {
    long id = Thread.currentThread().getId();
    long process = PROCESS.getProcessCpuTime();
    long cpu = threads.getCurrentThreadCpuTime();
    long bytes = threads.getThreadAllocatedBytes(id);
    int sink = 0;
    for (int i = 0; i < DECODES; i++) {
      sink += decoder.apply(payload) instanceof Decoded.Valid ? 1 : 0;
    }
    cpu = threads.getCurrentThreadCpuTime() - cpu;
    bytes = threads.getThreadAllocatedBytes(id) - bytes;
    process = PROCESS.getProcessCpuTime() - process;
    check(sink == DECODES);
    double per = (double) DECODES * READINGS;
    return new double[] {cpu / per, bytes / per, process / per};
  }

  private static void print(String name, List<double[]> runs) {
    System.out.printf(Locale.ROOT,
        "%-16s thread %4.0f ns CPU per reading (min %.0f, max %.0f), process %4.0f ns, %5.0f bytes per reading%n",
        name, median(runs, 0), runs.stream().mapToDouble(r -> r[0]).min().orElse(0),
        runs.stream().mapToDouble(r -> r[0]).max().orElse(0), median(runs, 2), median(runs, 1));
  }

  private static double median(List<double[]> runs, int i) {
    double[] v = runs.stream().mapToDouble(r -> r[i]).sorted().toArray();
    return v[v.length / 2];
  }

  /** Like a simulated agent's: four probes in turn, decimals, now and then a calibration or a fault. */
  private static ReadingBatch batch() {
    String[] units = {"rbc-fridge-1", "ffp-freezer-1", "plt-incubator-1", "rbc-fridge-2"};
    String[] sensors = {"28-0316a2794aff", "28-0316a2794b00", "28-0316a2794b01", "28-0316a2794b02"};
    List<Reading> readings = new ArrayList<>(READINGS);
    long t = 1_763_900_000_000L;
    for (int i = 0; i < READINGS; i++) {
      int probe = i % units.length;
      double value = Math.round((4.0 + Math.sin(i / 50.0) * 1.7) * 10_000) / 10_000.0;
      if (i % 97 == 0) {
        readings.add(new Reading(1_000 + i, t, units[probe], sensors[probe], Double.NaN, Quality.CRC_ERROR, true));
      } else {
        OptionalDouble raw = probe == 1 ? OptionalDouble.of(value + 0.125) : OptionalDouble.empty();
        readings.add(new Reading(1_000 + i, t, units[probe], sensors[probe], value, Quality.OK, true, raw, false));
      }
      t += probe == units.length - 1 ? 10_000 : 0;
    }
    return new ReadingBatch("casa-01", "agent-0042", 1_000, readings);
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw new IllegalStateException("unexpected result");
    }
  }
}
