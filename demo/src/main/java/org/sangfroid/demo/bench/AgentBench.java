package org.sangfroid.demo.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.sangfroid.agent.outbox.BeyondRules;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.agent.publish.MqttPublisher;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Profiles;
import org.sangfroid.demo.bench.Table.Baseline;
import org.sangfroid.demo.bench.Table.Format;
import org.sangfroid.demo.bench.Table.Target;
import org.sangfroid.gateway.GatewayApp;
import org.sangfroid.gateway.broker.EmbeddedBroker;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.simulator.SimulatedSite;
import org.sangfroid.simulator.config.SimulatorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sangfroid bench agent} (issue 3, acceptance 5): backlog drain beside a raw SQLite drain;
 * fsyncs per tick and resident memory of a real agent process with 32 probes at 1 Hz.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    versionProvider = BenchMain.Version.class,
    description = {
      "Measures the edge agent:",
      "- backlog drain: a real outbox holding --readings readings, written tick",
      "  by tick (32 probes), drained by the real publisher through the embedded",
      "  broker to a real gateway, and to a minimal acker that acks each batch at",
      "  once (the agent's own speed). Baseline: plain JDBC reading and deleting",
      "  the same rows in batches;",
      "- fsyncs per tick and memory: the agent's jar in a child process with 32",
      "  simulated DS18B20 probes read every second, under strace (Debian",
      "  package 'strace'), with -Xmx32m alone and with the options its systemd",
      "  unit gives it, its metrics endpoint on and asked (/status once, /metrics",
      "  every 15 s). Baseline: an idle JVM with the same options.",
      "Targets (issue 3): drain >= 100,000 readings/s, <= 1 fsync per tick,",
      "RSS <= 64 MB with -Xmx32m.",
      ""
    })
final class AgentBench implements Callable<Integer> {
  static final String SITE = "bench-site";
  /** 32 probes: 8 units of 4 DS18B20 each. */
  static final Workload FLEET = new Workload(SITE, 1, 8, 4);
  static final double DRAIN_TARGET = 100_000;
  static final double FSYNC_TARGET = 1;
  static final double RSS_TARGET_MB = 64;
  private static final Duration PROCESS_WARMUP = Duration.ofSeconds(10);
  /** How often the agent's /metrics is read while its memory is watched (a usual Prometheus interval). */
  private static final Duration SCRAPE_EVERY = Duration.ofSeconds(15);

  @Spec CommandSpec spec;
  @ParentCommand BenchMain parent;
  @Mixin BenchMain.Common common;

  @Option(names = "--readings", paramLabel = "N", defaultValue = "1000000",
      description = "Readings in the backlog to drain (default: ${DEFAULT-VALUE}).")
  long readings;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "500",
      description = "Readings per MQTT message, as the agent's publish.batchSize (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "60",
      description = "How long each agent process is watched for its memory, after a 10 s warm-up"
          + " (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--trace-seconds", paramLabel = "S", defaultValue = "300",
      description = "How long the agent under strace is watched: long enough to include WAL checkpoints,"
          + " about one per 300 ticks (default: ${DEFAULT-VALUE}).")
  int traceSeconds;

  @Option(names = "--jvm", paramLabel = "OPTIONS",
      description = "Also measure the agent's memory with these JVM options, e.g. --jvm \"-Xmx32m -Xss256k\""
          + " (repeatable).")
  List<String> moreJvmOptions = new ArrayList<>();

  @Option(names = "--only", paramLabel = "PART",
      description = "Measure only this: drain or process (default: both).")
  Optional<Part> only = Optional.empty();

  /** The parts of this bench. */
  enum Part { drain, process }

  @Option(names = "--agent-jar", paramLabel = "JAR",
      description = "The edge agent's jar (default: edge-agent/target/sangfroid-edge-agent.jar of this build).")
  Path agentJar;

  private final Clock clock = Clock.systemUTC();
  private BenchMain.Session session;

  @Override
  public Integer call() throws Exception {
    common.check(spec);
    if (readings < 1_000 || readings > 10_000_000) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--readings [" + readings
          + "] must be from 1000 to 10000000.");
    }
    if (batch < 1 || batch > 2000) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--batch [" + batch + "] must be from 1 to 2000.");
    }
    if (seconds < 5 || seconds > 3600 || traceSeconds < 5 || traceSeconds > 3600) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--seconds [" + seconds + "] and --trace-seconds ["
          + traceSeconds + "] must be from 5 to 3600.");
    }
    try (BenchMain.Session s = new BenchMain.Session(common, "agent", parent.out)) {
      session = s;
      boolean drain = only.isEmpty() || only.get() == Part.drain;
      boolean process = only.isEmpty() || only.get() == Part.process;
      s.header("Sangfroid bench agent", spec, clock, String.join(" ",
          drain ? "Drain: 1 warm-up run (not counted), then " + common.runs + "; values are medians ± half the range."
              : "",
          process ? "Agent processes: each watched once after a " + PROCESS_WARMUP.toSeconds() + " s warm-up, for "
              + seconds + " s (" + traceSeconds + " s under strace)." : "").strip());
      Table table = new Table("Edge agent (issue 3, acceptance 5)");
      if (drain) {
        drain(table);
      }
      if (process) {
        processes(table);
      }
      table.print(s.out);
    }
    return 0;
  }

  // ---- backlog drain ----

  private void drain(Table table) throws Exception {
    Path source = session.sub("backlog");
    session.progress(String.format(Locale.ROOT, "Filling an outbox with %,d readings, one transaction per tick of %d"
        + " readings ...", readings, FLEET.probes()));
    double ticksPerSecond = fill(source, readings);
    long warm = Math.max(1_000, readings / 10);
    Path warmSource = session.sub("backlog-warmup");
    Files.copy(source.resolve(Outbox.FILE_NAME), warmSource.resolve(Outbox.FILE_NAME));
    trim(warmSource.resolve(Outbox.FILE_NAME), warm);

    List<Double> raw = new ArrayList<>();
    List<Double> acker = new ArrayList<>();
    List<Double> gateway = new ArrayList<>();
    for (int run = 0; run <= common.runs; run++) {
      boolean warmup = run == 0;
      Path from = warmup ? warmSource : source;
      long n = warmup ? warm : readings;
      String label = warmup ? "warm-up" : "run " + run + "/" + common.runs;
      Path dir = session.sub("drain-" + run);

      double r = rawDrain(copy(from, dir.resolve("raw")), n);
      session.progress(String.format(Locale.ROOT, "%s: raw SQLite drain %,.0f readings/s", label, r));
      double m = drainToMinimalAcker(copy(from, dir.resolve("acker")), dir.resolve("broker"), n);
      session.progress(String.format(Locale.ROOT, "%s: agent -> minimal acker %,.0f readings/s", label, m));
      double g = drainToGateway(copy(from, dir.resolve("agent")), dir.resolve("gateway"), n);
      session.progress(String.format(Locale.ROOT, "%s: agent -> gateway %,.0f readings/s", label, g));
      BenchMain.deleteTree(dir);
      if (!warmup) {
        raw.add(r);
        acker.add(m);
        gateway.add(g);
      }
    }
    Baseline base = new Baseline("raw SQLite read+delete", Stats.of(raw));
    String size = String.format(Locale.ROOT, "%,d readings, batches of %d", readings, batch);
    table.add("backlog drain, agent -> broker -> real gateway (readings/s; " + size + ")", Stats.of(gateway),
        Format.COUNT, Optional.of(base), Optional.of(Target.atLeast(DRAIN_TARGET, Format.COUNT)));
    table.add("backlog drain, agent -> broker -> minimal acker (readings/s)", Stats.of(acker), Format.COUNT,
        Optional.of(base), Optional.of(Target.atLeast(DRAIN_TARGET, Format.COUNT)));
    table.add("outbox fill: ticks of 32 readings, one transaction each (ticks/s)", Stats.once(ticksPerSecond),
        Format.COUNT, Optional.empty(), Optional.empty());
    table.note("Drain: from the publisher's start (connect included) until the outbox is empty, i.e. the last"
        + " row deleted after the last ack. The gateway stores, deduplicates and evaluates every reading before"
        + " it acks; the minimal acker acks each batch at once without storing it.");
    if (Stats.of(gateway).median() < 0.8 * Stats.of(acker).median()) {
      table.note(String.format(Locale.ROOT, "The gateway is the bottleneck of the drain: the agent alone drains"
          + " %.1fx faster (see 'sangfroid bench gateway').", Stats.of(acker).median() / Stats.of(gateway).median()));
    }
    BenchMain.deleteTree(source);
    BenchMain.deleteTree(warmSource);
  }

  /** Writes {@code n} readings into a new outbox tick by tick, as the sampler does; returns ticks/s. */
  private double fill(Path dir, long n) {
    long ticks = (n + FLEET.probes() - 1) / FLEET.probes();
    long t0 = clock.millis() - ticks * Workload.TICK_MS;
    Map<String, Profile> profiles = new HashMap<>();
    for (int u = 0; u < FLEET.unitsPerAgent(); u++) {
      profiles.put(FLEET.unit(0, u), Profiles.byId(Workload.PROFILE).orElseThrow());
    }
    try (Outbox outbox = Outbox.open(dir, Math.max(Outbox.MIN_MAX_READINGS, n), new BeyondRules(profiles), clock)) {
      long start = System.nanoTime();
      for (long k = 0; k < ticks; k++) {
        List<Measurement> tick = FLEET.tick(0, k, t0);
        long left = n - k * FLEET.probes();
        outbox.append(left < tick.size() ? tick.subList(0, (int) left) : tick);
      }
      return ticks / seconds(System.nanoTime() - start);
    }
  }

  /** Keeps the first {@code n} readings of an outbox file. */
  private static void trim(Path file, long n) throws SQLException {
    try (Connection c = RawSqlite.open(file); PreparedStatement st = c.prepareStatement("DELETE FROM outbox WHERE seq > ?")) {
      st.setLong(1, n);
      st.executeUpdate();
      c.commit();
    }
  }

  private static Path copy(Path from, Path toDir) throws IOException {
    Files.createDirectories(toDir);
    for (String suffix : List.of("", "-wal")) {
      Path f = from.resolve(Outbox.FILE_NAME + suffix);
      if (Files.exists(f)) {
        Files.copy(f, toDir.resolve(Outbox.FILE_NAME + suffix));
      }
    }
    return toDir;
  }

  private double rawDrain(Path dir, long n) throws SQLException {
    long start = System.nanoTime();
    long drained = RawSqlite.drain(dir.resolve(Outbox.FILE_NAME), batch);
    double s = seconds(System.nanoTime() - start);
    if (drained != n) {
      throw new BenchException("the raw drain found " + drained + " readings, not " + n, null);
    }
    return n / s;
  }

  private double drainToMinimalAcker(Path outboxDir, Path brokerDir, long n) throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0, brokerDir);
        MinimalAcker acker = MinimalAcker.start(broker.url(), clock)) {
      double rate = publish(broker.url(), outboxDir, n);
      if (acker.acked() < (n + batch - 1) / batch) {
        throw new BenchException("the minimal acker acked only " + acker.acked() + " batches", null);
      }
      return rate;
    }
  }

  private double drainToGateway(Path outboxDir, Path gatewayDir, long n) throws Exception {
    Path yaml = BenchMain.write(Files.createDirectories(gatewayDir).resolve("gateway.yaml"),
        FLEET.gatewayYaml(gatewayDir.resolve("data"), EMBEDDED_BROKER, "", ""));
    double rate;
    try (GatewayApp gateway = GatewayApp.start(GatewayConfig.load(yaml), clock)) {
      rate = publish(gateway.brokerUrl(), outboxDir, n);
    }
    long stored = storedReadings(gatewayDir.resolve("data").resolve(GatewayApp.DATABASE));
    if (stored != n) {
      throw new BenchException("the gateway stored " + stored + " readings, not " + n, null);
    }
    return rate;
  }

  static final String EMBEDDED_BROKER = """
      broker:
        embedded:
          bind: 127.0.0.1
          port: 0
      """;

  static long storedReadings(Path db) throws SQLException {
    try (Connection c = RawSqlite.open(db); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM readings")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Runs the real publisher on the outbox until it is empty; returns readings/s. */
  private double publish(String url, Path outboxDir, long n) throws Exception {
    try (Outbox outbox = Outbox.open(outboxDir, Math.max(Outbox.MIN_MAX_READINGS, n), BeyondRules.faultsOnly(),
        clock)) {
      if (outbox.depth() != n) {
        throw new BenchException("the outbox copy holds " + outbox.depth() + " readings, not " + n, null);
      }
      MqttPublisher.Settings settings = new MqttPublisher.Settings(url, SITE, FLEET.agent(0), Optional.empty(),
          Optional.empty(), batch, Duration.ofSeconds(30), MqttPublisher.DEFAULT_MAX_BATCHES_IN_FLIGHT,
          Duration.ofSeconds(1), Duration.ofSeconds(10), "bench", clock.millis(), Duration.ofMinutes(1));
      ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-publisher"));
      try (MqttPublisher publisher = new MqttPublisher(settings, outbox, clock, new SimpleMeterRegistry())) {
        long start = System.nanoTime();
        publisher.start(thread);
        long deadline = start + Duration.ofSeconds(60 + n / 5_000).toNanos();
        while (outbox.depth() > 0) {
          if (System.nanoTime() > deadline) {
            throw new BenchException(String.format(Locale.ROOT, "the drain did not finish in time: %,d of %,d"
                + " readings left", outbox.depth(), n), null);
          }
          TimeUnit.MILLISECONDS.sleep(2);
        }
        return n / seconds(System.nanoTime() - start);
      } finally {
        thread.shutdown();
        thread.awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  // ---- a real agent process ----

  private void processes(Table table) throws Exception {
    Optional<Path> jar = agentJar();
    Target fsyncTarget = Target.atMost(FSYNC_TARGET, Format.THREE);
    Target rssTarget = Target.atMost(RSS_TARGET_MB, Format.ONE);
    // The target is the tick's own write: one commit, one fsync, whatever the number of probes.
    // The outbox's housekeeping (a WAL checkpoint every few hundred ticks, the seq reservation
    // every 100 ticks) adds a few per cent on average; it cannot be folded into a tick's commit
    // without weakening durability, so it is shown beside it, without a target (performance.md).
    String perTick = "fsyncs per tick, housekeeping included (32 probes, tick 1 s, " + traceSeconds + " s)";
    String commitsPerTick = "fsyncs per tick for the tick's readings (its commit)";
    if (jar.isEmpty()) {
      String why = "n/a: no agent jar; run './sangfroid build' or give --agent-jar";
      table.unavailable(perTick, why, Optional.empty());
      table.unavailable(commitsPerTick, why, Optional.of(fsyncTarget));
      table.unavailable("agent RSS peak, the service's options with -Xmx32m (MB)", why, Optional.of(rssTarget));
      return;
    }
    Optional<Path> strace = AgentProcess.onPath("strace");
    List<AgentJvm.Options> optionSets = new ArrayList<>(AgentJvm.MEASURED);
    for (int i = 0; i < moreJvmOptions.size(); i++) {
      optionSets.add(new AgentJvm.Options("jvm-" + (i + 1), List.of(moreJvmOptions.get(i).strip().split("\\s+"))));
    }
    // One agent (and its own units) per option set, so one gateway serves them all.
    Workload fleet = new Workload(SITE, optionSets.size(), FLEET.unitsPerAgent(), FLEET.probesPerUnit());
    Path root = session.sub("agent-process");
    Path w1 = root.resolve("w1");
    Path gatewayDir = Files.createDirectories(root.resolve("gateway"));
    Path gatewayYaml = BenchMain.write(gatewayDir.resolve("gateway.yaml"),
        fleet.gatewayYaml(gatewayDir.resolve("data"), EMBEDDED_BROKER, "", ""));
    Path simulatorYaml = BenchMain.write(root.resolve("simulator.yaml"), fleet.simulatorYaml(w1));
    SimulatedSite site = SimulatedSite.start(SimulatorConfig.load(simulatorYaml), clock);
    try (GatewayApp gateway = GatewayApp.start(GatewayConfig.load(gatewayYaml), clock)) {
      Map<String, AgentProcess.Memory> idle = new HashMap<>();
      for (AgentJvm.Options options : optionSets) {
        idle.put(options.name(), idleJvm(root, options));
      }
      for (int i = 0; i < optionSets.size(); i++) {
        AgentJvm.Options options = optionSets.get(i);
        boolean traced = options == AgentJvm.SHIPPED && strace.isPresent();
        int watch = traced ? traceSeconds : seconds;
        Path dir = Files.createDirectories(root.resolve(options.name()));
        // With the metrics endpoint on, as the packaged agent.yaml has it (its HTTP server and
        // registry are part of what an agent in the field holds in memory), and asked as in the
        // field: see endpoint().
        int port = freePort();
        Path agentYaml = BenchMain.write(dir.resolve("agent.yaml"),
            fleet.agentYaml(i, dir.resolve("agent-data"), w1, gateway.brokerUrl())
                + "metrics:\n  bind: 127.0.0.1\n  port: " + port + "\n");
        List<String> cmd = new ArrayList<>(List.of(AgentProcess.java()));
        cmd.addAll(options.jvm());
        cmd.addAll(List.of("-jar", jar.get().toString(), "run", "--config", agentYaml.toString()));
        session.progress("Agent process with " + options.label() + (traced ? ", under strace" : "")
            + ": " + (PROCESS_WARMUP.toSeconds() + watch) + " s ...");
        Path straceLog = dir.resolve("strace.log");
        Path outboxFile = dir.resolve("agent-data").resolve(Outbox.FILE_NAME);
        try (AgentProcess agent = AgentProcess.start(cmd, options.env(), dir.resolve("agent.log"), strace,
            traced ? Optional.of(straceLog) : Optional.empty())) {
          agent.run(PROCESS_WARMUP);
          long seq0 = AgentProcess.outboxSeq(outboxFile);
          long from = clock.millis();
          endpoint(agent, port, Duration.ofSeconds(watch));
          long seq1 = AgentProcess.outboxSeq(outboxFile);
          long to = clock.millis();
          AgentProcess.Memory memory = agent.memory();
          double ticks = (seq1 - seq0) / (double) FLEET.probes();
          table.add("agent RSS peak (VmHWM), " + options.label() + " (MB)",
              Stats.once(memory.peakMb()), Format.ONE,
              Optional.of(new Baseline("idle JVM, same options", Stats.once(idle.get(options.name()).peakMb()))),
              // The target is the agent as it is run: -Xmx32m with the service's other options.
              // -Xmx32m alone is shown for comparison (that JVM picks G1 and C2 on this machine).
              options == AgentJvm.SHIPPED ? Optional.of(rssTarget) : Optional.empty());
          table.note(String.format(Locale.ROOT, "Agent with %s: RSS %.1f MB at the end, %.1f MB at its peak, after"
                  + " %d s and %.0f ticks of %d readings; its /status read once and its /metrics every %d s"
                  + " meanwhile.", options.label(), memory.nowMb(),
              memory.peakMb(), PROCESS_WARMUP.toSeconds() + watch, seq1 / (double) FLEET.probes(),
              FLEET.probes(), SCRAPE_EVERY.toSeconds()));
          if (traced) {
            agent.stop();
            StraceLog.Count fsyncs = StraceLog.count(straceLog, dir.resolve("agent-data"), from, to);
            if (ticks < 1) {
              throw new BenchException("the agent stored no tick in " + watch + " s; see " + dir, null);
            }
            table.add(perTick, Stats.once(fsyncs.total() / ticks), Format.THREE, Optional.empty(),
                Optional.empty());
            table.add(commitsPerTick, Stats.once(fsyncs.commits() / ticks), Format.THREE, Optional.empty(),
                Optional.of(fsyncTarget));
            table.note(String.format(Locale.ROOT, "fsync and fdatasync calls of the agent process in %.0f ticks: %d"
                    + " commits on the outbox's write-ahead log; %d checkpoints (each syncs the log, %d, then the"
                    + " database file, %d); %d syncs of a new log's header (the first commit after a checkpoint);"
                    + " %d for the sequence reservation (outbox.seq and its folder); %d on other files.", ticks,
                fsyncs.commits(), fsyncs.database(), fsyncs.checkpointLog(), fsyncs.database(), fsyncs.headers(),
                fsyncs.reservation(), fsyncs.other()));
          }
        }
      }
      if (strace.isEmpty()) {
        table.unavailable(perTick, "n/a: install strace (apt-get install strace)", Optional.empty());
        table.unavailable(commitsPerTick, "n/a: install strace (apt-get install strace)", Optional.of(fsyncTarget));
      }
    } finally {
      site.close();
    }
  }

  /**
   * Runs {@code agent} for {@code watch} while its endpoint is asked as in the field: {@code
   * /status} once at the start (a technician's {@code sangfroid-agent status}), {@code /metrics}
   * every {@link #SCRAPE_EVERY} (a Prometheus scrape). What answering loads stays resident, so it
   * belongs in the peak.
   */
  private static void endpoint(AgentProcess agent, int port, Duration watch) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ask(http, port, "/status");
    for (Duration left = watch; !left.isZero(); ) {
      Duration step = left.compareTo(SCRAPE_EVERY) < 0 ? left : SCRAPE_EVERY;
      ask(http, port, "/metrics");
      agent.run(step);
      left = left.minus(step);
    }
  }

  private static void ask(HttpClient http, int port, String path) throws Exception {
    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() != 200) {
      throw new BenchException("the agent answered " + path + " with HTTP " + r.statusCode(), null);
    }
  }

  private AgentProcess.Memory idleJvm(Path root, AgentJvm.Options options) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(AgentProcess.java()));
    cmd.addAll(options.jvm());
    cmd.addAll(List.of("-cp", Path.of(IdleJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString(), IdleJvm.class.getName()));
    try (AgentProcess idle = AgentProcess.start(cmd, options.env(), root.resolve("idle-" + options.name() + ".log"),
        Optional.empty(), Optional.empty())) {
      idle.run(Duration.ofSeconds(3));
      return idle.memory();
    }
  }

  /** The agent jar: --agent-jar, or this build's, found beside the jar (or classes) this bench runs from. */
  private Optional<Path> agentJar() throws Exception {
    if (agentJar != null) {
      if (!Files.isRegularFile(agentJar)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--agent-jar [" + agentJar
            + "] must be the edge agent's jar file.");
      }
      return Optional.of(agentJar);
    }
    // demo/target/sangfroid-demo.jar or demo/target/classes -> edge-agent/target/sangfroid-edge-agent.jar
    Path here = Path.of(AgentBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path root = here.getParent().getParent().getParent();
    Path jar = root.resolve("edge-agent").resolve("target").resolve("sangfroid-edge-agent.jar");
    return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
