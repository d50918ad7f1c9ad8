package org.sangfroid.simulator.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.sangfroid.gateway.ingest.MqttLink;
import org.sangfroid.simulator.virtual.VirtualAgent;

/**
 * The CPU time the bench's threads spend between two moments, summed by what each works for. The
 * simulator, the gateway and the broker run in one JVM, so on 2 CPUs every µs one of them spends
 * is taken from the others: this says where the time goes. Threads are told apart by name (Paho
 * names its threads after the client id; HiveMQ, Jetty and the gateway name theirs); the
 * simulator's main thread also runs the gateway's engine ticks, which the runner measures and
 * which are moved to their own part. What no Java thread accounts for (garbage collection, the JIT
 * compilers, the JVM's own threads) is the process's CPU time minus the threads'. A thread that
 * ends between the two moments is left out. Not thread-safe: one thread takes both snapshots.
 */
public final class ThreadCpu {
  /** What a thread works for. */
  public enum Part {
    SIMULATOR_MAIN("simulator: main thread (models, outboxes, encoding, publishing)"),
    SIMULATOR_MQTT("simulator: the virtual agents' MQTT clients (Paho)"),
    INGEST("gateway: ingest thread (" + MqttLink.INGEST_THREAD + ")"),
    GATEWAY_TICK("gateway: engine ticks (on the simulator's main thread)"),
    GATEWAY_OTHER("gateway: its MQTT client (Paho, decoding), web, other"),
    BROKER("HiveMQ broker"),
    OTHER("other Java threads"),
    JVM("JVM: garbage collection, JIT compilers (process minus threads)");

    private final String label;

    Part(String label) {
      this.label = label;
    }

    /** What it is, for people. */
    public String label() {
      return label;
    }
  }

  /** Name prefixes of the embedded HiveMQ broker's threads (and of Xodus, its persistence). */
  private static final String[] BROKER_PREFIXES = {"hivemq-", "single-writer", "payload-persistence",
      "extension-task-executor", "scheduled-persistence", "global-traffic-shaper", "embedded-hivemq",
      "Exodus ", "threadJobProcessor"};
  /** Name prefixes of the gateway's own threads besides ingest (Jetty serves its web API). */
  private static final String[] GATEWAY_PREFIXES = {"sangfroid-", "JettyServerThreadPool", "Scheduler-",
      "Session-HouseKeeper"};

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
  private final long mainThread;
  private Map<Long, Long> first;
  private long firstProcess;
  private long ticks;
  private EnumMap<Part, Duration> split = new EnumMap<>(Part.class);

  /** @param mainThread the simulator's main thread: the one that runs the steps */
  ThreadCpu(long mainThread) {
    this.mainThread = mainThread;
  }

  /** Which part a thread of this name works for (not the main thread, known by its id). */
  static Part classify(String name) {
    if (name.contains(" " + VirtualAgent.CLIENT_ID_PREFIX)) {
      return Part.SIMULATOR_MQTT; // "MQTT Snd: sangfroid-sim-fleet-agent-00001"
    }
    if (name.equals(MqttLink.INGEST_THREAD)) {
      return Part.INGEST;
    }
    if (name.contains(" " + MqttLink.CLIENT_ID) || startsWithAny(name, GATEWAY_PREFIXES)) {
      return Part.GATEWAY_OTHER;
    }
    return startsWithAny(name, BROKER_PREFIXES) ? Part.BROKER : Part.OTHER;
  }

  private static boolean startsWithAny(String name, String[] prefixes) {
    for (String p : prefixes) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /** Whether this JVM measures the CPU time of each thread. */
  boolean supported() {
    return threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
  }

  /** The first moment. */
  void start() {
    first = snapshot();
    firstProcess = processCpu();
    ticks = 0;
  }

  /** The main thread spent {@code cpu} in a gateway engine tick (counted once started). */
  void ticked(Duration cpu) {
    if (first != null) {
      ticks += cpu.toNanos();
    }
  }

  /** The second moment: works out the split. */
  void stop() {
    if (first == null || !supported()) {
      return;
    }
    Map<Long, Long> last = snapshot();
    Map<Long, String> names = names(last);
    EnumMap<Part, Long> nanos = new EnumMap<>(Part.class);
    long all = 0;
    for (Map.Entry<Long, Long> e : last.entrySet()) {
      long spent = Math.max(0, e.getValue() - first.getOrDefault(e.getKey(), 0L));
      all += spent;
      Part part = e.getKey() == mainThread ? Part.SIMULATOR_MAIN : classify(names.getOrDefault(e.getKey(), ""));
      nanos.merge(part, spent, Long::sum);
    }
    long tickNanos = Math.min(ticks, nanos.getOrDefault(Part.SIMULATOR_MAIN, 0L));
    nanos.merge(Part.SIMULATOR_MAIN, -tickNanos, Long::sum);
    nanos.put(Part.GATEWAY_TICK, tickNanos);
    long process = processCpu();
    if (process > 0 && firstProcess > 0) {
      nanos.put(Part.JVM, Math.max(0, process - firstProcess - all));
    }
    split = new EnumMap<>(Part.class);
    for (Part p : Part.values()) {
      split.put(p, Duration.ofNanos(nanos.getOrDefault(p, 0L)));
    }
  }

  /** CPU time per part between the two moments; every part zero when unknown. */
  Map<Part, Duration> split() {
    EnumMap<Part, Duration> out = new EnumMap<>(Part.class);
    for (Part p : Part.values()) {
      out.put(p, split.getOrDefault(p, Duration.ZERO));
    }
    return out;
  }

  private Map<Long, Long> snapshot() {
    Map<Long, Long> out = new HashMap<>();
    if (!supported()) {
      return out;
    }
    for (long id : threads.getAllThreadIds()) {
      long cpu = threads.getThreadCpuTime(id);
      if (cpu >= 0) {
        out.put(id, cpu);
      }
    }
    return out;
  }

  private Map<Long, String> names(Map<Long, Long> ids) {
    long[] list = ids.keySet().stream().mapToLong(Long::longValue).toArray();
    Map<Long, String> out = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(list)) {
      if (info != null) {
        out.put(info.getThreadId(), info.getThreadName());
      }
    }
    return out;
  }

  /** The process's CPU time, ns; 0 when the JVM does not say. */
  private long processCpu() {
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? Math.max(0, sun.getProcessCpuTime()) : 0;
  }
}
