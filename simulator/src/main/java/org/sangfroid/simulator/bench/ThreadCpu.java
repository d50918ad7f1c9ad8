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
 * compilers, the JVM's own threads) is the process's CPU time minus the threads'. The bytes each
 * part allocates say who makes the garbage collector work. A thread that ends between the two
 * moments is left out. Not thread-safe: one thread takes both snapshots.
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
  private Map<Long, long[]> first;
  private long firstProcess;
  private long ticks;
  private EnumMap<Part, Duration> split = new EnumMap<>(Part.class);
  private EnumMap<Part, Long> allocated = new EnumMap<>(Part.class);

  /** @param mainThread the simulator's main thread: the one that runs the steps */
  ThreadCpu(long mainThread) {
    this.mainThread = mainThread;
  }

  /** Which part a thread of this name works for (not the main thread, known by its id). */
  static Part classify(String name) {
    if (name.contains(" " + VirtualAgent.CLIENT_ID_PREFIX) || name.startsWith(VirtualAgent.CLIENT_ID_PREFIX)) {
      return Part.SIMULATOR_MQTT; // "MQTT Snd: sangfroid-sim-fleet-agent-00001", "sangfroid-sim-connect"
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
    Map<Long, long[]> last = snapshot();
    Map<Long, String> names = names(last);
    EnumMap<Part, Long> nanos = new EnumMap<>(Part.class);
    EnumMap<Part, Long> bytes = new EnumMap<>(Part.class);
    long all = 0;
    for (Map.Entry<Long, long[]> e : last.entrySet()) {
      long[] before = first.getOrDefault(e.getKey(), new long[2]);
      long spent = Math.max(0, e.getValue()[0] - before[0]);
      all += spent;
      Part part = e.getKey() == mainThread ? Part.SIMULATOR_MAIN : classify(names.getOrDefault(e.getKey(), ""));
      nanos.merge(part, spent, Long::sum);
      bytes.merge(part, Math.max(0, e.getValue()[1] - before[1]), Long::sum);
    }
    long tickNanos = Math.min(ticks, nanos.getOrDefault(Part.SIMULATOR_MAIN, 0L));
    nanos.merge(Part.SIMULATOR_MAIN, -tickNanos, Long::sum);
    nanos.put(Part.GATEWAY_TICK, tickNanos);
    long process = processCpu();
    if (process > 0 && firstProcess > 0) {
      nanos.put(Part.JVM, Math.max(0, process - firstProcess - all));
    }
    split = new EnumMap<>(Part.class);
    allocated = new EnumMap<>(Part.class);
    for (Part p : Part.values()) {
      split.put(p, Duration.ofNanos(nanos.getOrDefault(p, 0L)));
      allocated.put(p, bytes.getOrDefault(p, 0L));
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

  /**
   * Bytes allocated per part between the two moments (the engine ticks' stay with the main
   * thread); every part zero when unknown.
   */
  Map<Part, Long> allocated() {
    EnumMap<Part, Long> out = new EnumMap<>(Part.class);
    for (Part p : Part.values()) {
      out.put(p, allocated.getOrDefault(p, 0L));
    }
    return out;
  }

  /** Each live thread's CPU time and bytes allocated so far. */
  private Map<Long, long[]> snapshot() {
    Map<Long, long[]> out = new HashMap<>();
    if (!supported()) {
      return out;
    }
    for (long id : threads.getAllThreadIds()) {
      long cpu = threads.getThreadCpuTime(id);
      if (cpu >= 0) {
        out.put(id, new long[] {cpu, allocatedBytes(id)});
      }
    }
    return out;
  }

  private long allocatedBytes(long id) {
    return threads instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()
        && sun.isThreadAllocatedMemoryEnabled() ? Math.max(0, sun.getThreadAllocatedBytes(id)) : 0;
  }

  private Map<Long, String> names(Map<Long, long[]> ids) {
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
