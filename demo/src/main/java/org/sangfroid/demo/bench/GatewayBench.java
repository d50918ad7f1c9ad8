package org.sangfroid.demo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.sangfroid.core.wire.Ack;
import org.sangfroid.core.wire.Decoded;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.core.wire.ReadingBatch;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;
import org.sangfroid.demo.bench.Table.Baseline;
import org.sangfroid.demo.bench.Table.Format;
import org.sangfroid.demo.bench.Table.Target;
import org.sangfroid.gateway.GatewayApp;
import org.sangfroid.gateway.broker.EmbeddedBroker;
import org.sangfroid.gateway.config.GatewayConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sangfroid bench gateway} (issue 4, acceptance 6): end-to-end ingest beside the raw broker
 * and raw SQLite; alarm latency to a webhook under background load.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    versionProvider = BenchMain.Version.class,
    description = {
      "Measures the gateway:",
      "- ingest: --agents simulated agents publish --readings readings in batches",
      "  of --batch to the embedded broker; the real gateway stores, checks and",
      "  acks them; each agent keeps at most --window batches unacked, as agents",
      "  do. Readings/s until all are acked. Baselines: the same messages through",
      "  the same broker to a plain subscriber, and plain JDBC inserting the same",
      "  rows in the same batches into the gateway's readings table;",
      "- alarm latency: background agents send --load readings/s; one unit",
      "  (profile RBC_TRANSPORT: alarm at once above +10 C) is driven across its",
      "  limit and back --samples times; from publishing the reading that",
      "  crosses the limit to a webhook receiver on loopback getting the alarm.",
      "  Baseline: the same reading's ack from the gateway.",
      "Targets (issue 4): ingest >= 100,000 readings/s, alarm p99 <= 50 ms.",
      ""
    })
final class GatewayBench implements Callable<Integer> {
  static final String SITE = "bench-site";
  static final double INGEST_TARGET = 100_000;
  static final double LATENCY_TARGET_MS = 50;
  static final String ALARM_AGENT = "alarm-agent";
  static final String ALARM_UNIT = "transport-box-1";
  static final String ALARM_PROBE = "28-00000000a1a1";
  private static final int WARMUP_SAMPLES = 20;
  private static final Duration HOOK_WAIT = Duration.ofSeconds(10);
  /** Background batches go out every 100 ms. */
  private static final long LOAD_PERIOD_MS = 100;

  @Spec CommandSpec spec;
  @ParentCommand BenchMain parent;
  @Mixin BenchMain.Common common;

  @Option(names = "--readings", paramLabel = "N", defaultValue = "500000",
      description = "Readings to ingest in each run (default: ${DEFAULT-VALUE}).")
  long readings;

  @Option(names = "--agents", paramLabel = "N", defaultValue = "10",
      description = "Simulated agents publishing at once (default: ${DEFAULT-VALUE}).")
  int agents;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "500",
      description = "Readings per MQTT message, as the agents' publish.batchSize (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--window", paramLabel = "N", defaultValue = "20",
      description = "Batches each agent keeps unacknowledged at most, as agents do (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "200",
      description = "Alarms timed in each run, after 20 not counted (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--load", paramLabel = "N", defaultValue = "10000",
      description = "Background readings/s while alarms are timed (default: ${DEFAULT-VALUE}).")
  int load;

  @Option(names = "--only", paramLabel = "PART", description = "Measure only this: ingest or alarm (default: both).")
  Optional<Part> only = Optional.empty();

  /** The parts of this bench. */
  enum Part { ingest, alarm }

  private final Clock clock = Clock.systemUTC();
  private BenchMain.Session session;

  @Override
  public Integer call() throws Exception {
    common.check(spec);
    require(readings >= 1_000 && readings <= 10_000_000, "--readings", readings, "be from 1000 to 10000000");
    require(agents >= 1 && agents <= 100, "--agents", agents, "be from 1 to 100");
    require(batch >= 1 && batch <= 2000, "--batch", batch, "be from 1 to 2000");
    require(window >= 1 && window <= 100, "--window", window, "be from 1 to 100");
    require(samples >= 10 && samples <= 100_000, "--samples", samples, "be from 10 to 100000");
    require(load >= 0 && load <= 100_000, "--load", load, "be from 0 to 100000");
    try (BenchMain.Session s = new BenchMain.Session(common, "gateway", parent.out)) {
      session = s;
      s.header("Sangfroid bench gateway", spec, clock, "Runs: 1 warm-up (not counted), then " + common.runs
          + "; values are medians ± half the range.");
      Table table = new Table("Gateway (issue 4, acceptance 6)");
      if (only.isEmpty() || only.get() == Part.ingest) {
        ingest(table);
      }
      if (only.isEmpty() || only.get() == Part.alarm) {
        alarms(table);
      }
      table.print(s.out);
    }
    return 0;
  }

  private void require(boolean ok, String option, long value, String rule) {
    if (!ok) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + " [" + value + "] must " + rule + ".");
    }
  }

  // ---- ingest ----

  /** The same batches for every run: per agent, the batches and their bytes. */
  private record Messages(List<List<ReadingBatch>> batches, List<List<byte[]>> bytes, List<Long> lastSeq, long total) {}

  private Messages messages(Workload fleet, long perAgent, long t0) {
    List<List<ReadingBatch>> batches = new ArrayList<>();
    List<List<byte[]>> bytes = new ArrayList<>();
    List<Long> last = new ArrayList<>();
    for (int a = 0; a < fleet.agents(); a++) {
      List<ReadingBatch> mine = new ArrayList<>();
      List<byte[]> encoded = new ArrayList<>();
      for (long seq = 1; seq <= perAgent; seq += batch) {
        ReadingBatch b = fleet.batch(a, seq, (int) Math.min(batch, perAgent - seq + 1), t0);
        mine.add(b);
        encoded.add(WireCodec.encode(b));
      }
      batches.add(mine);
      bytes.add(encoded);
      last.add(perAgent);
    }
    return new Messages(batches, bytes, last, perAgent * fleet.agents());
  }

  private void ingest(Table table) throws Exception {
    Workload fleet = new Workload(SITE, agents, 8, 4);
    long perAgent = readings / agents;
    long t0 = clock.millis() - (perAgent / fleet.probes() + 1) * Workload.TICK_MS;
    session.progress(String.format(Locale.ROOT, "Encoding %,d readings of %d agents in batches of %d ...",
        perAgent * agents, agents, batch));
    Messages all = messages(fleet, perAgent, t0);
    Messages warm = messages(fleet, Math.max(batch, perAgent / 10), t0);

    List<Double> sqlite = new ArrayList<>();
    List<Double> broker = new ArrayList<>();
    List<Double> gateway = new ArrayList<>();
    for (int run = 0; run <= common.runs; run++) {
      boolean warmup = run == 0;
      Messages m = warmup ? warm : all;
      String label = warmup ? "warm-up" : "run " + run + "/" + common.runs;
      Path dir = session.sub("ingest-" + run);
      double q = rawInsert(dir.resolve("raw.db"), m);
      session.progress(String.format(Locale.ROOT, "%s: raw SQLite insert %,.0f readings/s", label, q));
      double b = rawBroker(dir.resolve("broker"), fleet, m);
      session.progress(String.format(Locale.ROOT, "%s: raw broker %,.0f readings/s", label, b));
      double g = throughGateway(dir.resolve("gateway"), fleet, m);
      session.progress(String.format(Locale.ROOT, "%s: agents -> gateway %,.0f readings/s", label, g));
      BenchMain.deleteTree(dir);
      if (!warmup) {
        sqlite.add(q);
        broker.add(b);
        gateway.add(g);
      }
    }
    table.add(String.format(Locale.ROOT, "ingest, %d agents -> broker -> gateway, stored and acked (readings/s;"
            + " %,d readings, batches of %d)", agents, all.total(), batch), Stats.of(gateway), Format.COUNT,
        List.of(new Baseline("raw broker", Stats.of(broker)), new Baseline("raw SQLite insert", Stats.of(sqlite))),
        Optional.of(Target.atLeast(INGEST_TARGET, Format.COUNT)));
    table.note("Ingest: from the first publish until every agent's last reading is acked by the gateway (stored,"
        + " batches that arrived together in one transaction, duplicates dropped, every reading evaluated by the"
        + " excursion engine)."
        + " Each agent keeps at most " + window + " batches unacked. Raw broker: the same messages to a plain"
        + " QoS 1 subscriber, " + window + " unacked PUBACKs per agent. Raw SQLite: the same rows inserted into"
        + " the gateway's readings table, one JDBC batch and one transaction per batch, WAL, synchronous=FULL.");
  }

  private double rawInsert(Path file, Messages m) throws Exception {
    long received = clock.millis();
    try (Connection c = RawSqlite.readingsTable(file); PreparedStatement insert = RawSqlite.insertStatement(c)) {
      long start = System.nanoTime();
      // Agent by agent, batch by batch: the order does not matter to SQLite's cost here.
      for (List<ReadingBatch> agentBatches : m.batches()) {
        for (ReadingBatch b : agentBatches) {
          RawSqlite.insert(insert, b.site(), b.agent(), b.readings(), received);
        }
      }
      return m.total() / AgentBench.seconds(System.nanoTime() - start);
    }
  }

  private double rawBroker(Path dir, Workload fleet, Messages m) throws Exception {
    long messages = m.bytes().stream().mapToLong(List::size).sum();
    try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0, dir);
        CountingSubscriber subscriber = CountingSubscriber.start(broker.url(), messages);
        BatchAgents publishers = new BatchAgents(broker.url(), fleet, "bench-raw")) {
      Duration timeout = timeout(m.total());
      long start = System.nanoTime();
      publishers.publishAll(m.bytes(), m.lastSeq(), batch, window, BatchAgents.Flow.PUBACK, timeout);
      subscriber.await(timeout);
      return m.total() / AgentBench.seconds(System.nanoTime() - start);
    }
  }

  private double throughGateway(Path dir, Workload fleet, Messages m) throws Exception {
    Path yaml = BenchMain.write(dir.resolve("gateway.yaml"),
        fleet.gatewayYaml(dir.resolve("data"), AgentBench.EMBEDDED_BROKER, "", ""));
    double rate;
    try (GatewayApp gateway = GatewayApp.start(GatewayConfig.load(yaml), clock);
        BatchAgents publishers = new BatchAgents(gateway.brokerUrl(), fleet, "bench-agent")) {
      long start = System.nanoTime();
      publishers.publishAll(m.bytes(), m.lastSeq(), batch, window, BatchAgents.Flow.GATEWAY_ACK, timeout(m.total()));
      rate = m.total() / AgentBench.seconds(System.nanoTime() - start);
    }
    long stored = AgentBench.storedReadings(dir.resolve("data").resolve(GatewayApp.DATABASE));
    if (stored != m.total()) {
      throw new BenchException("the gateway stored " + stored + " readings, not " + m.total(), null);
    }
    return rate;
  }

  private static Duration timeout(long readings) {
    return Duration.ofSeconds(60 + readings / 2_000);
  }

  // ---- alarm latency ----

  private void alarms(Table table) throws Exception {
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> max = new ArrayList<>();
    List<Double> achieved = new ArrayList<>();
    List<Double> ack50 = new ArrayList<>();
    List<Double> ack99 = new ArrayList<>();
    List<Double> ackMax = new ArrayList<>();
    long lost = 0;
    for (int run = 1; run <= common.runs; run++) {
      Latencies l = latencies(session.sub("alarm-" + run));
      session.progress(String.format(Locale.ROOT, "run %d/%d: alarm latency p50 %.1f ms, p99 %.1f ms, max %.1f ms"
              + " (%d samples, %d lost) under %,.0f readings/s", run, common.runs, l.percentile(50),
          l.percentile(99), l.percentile(100), l.millis().size(), l.lost(), l.background()));
      BenchMain.deleteTree(session.dir.resolve("alarm-" + run));
      p50.add(l.percentile(50));
      p99.add(l.percentile(99));
      max.add(l.percentile(100));
      achieved.add(l.background());
      ack50.add(l.ackPercentile(50));
      ack99.add(l.ackPercentile(99));
      ackMax.add(l.ackPercentile(100));
      lost += l.lost();
    }
    String under = String.format(Locale.ROOT, "under %,d readings/s", load);
    String acked = "same reading acked";
    table.add("alarm latency p50, reading published -> webhook received (ms; " + under + ")", Stats.of(p50),
        Format.ONE, List.of(new Baseline(acked, Stats.of(ack50))), Optional.empty());
    table.add("alarm latency p99 (ms; " + samples + " alarms per run)", Stats.of(p99), Format.ONE,
        List.of(new Baseline(acked, Stats.of(ack99))), Optional.of(Target.atMost(LATENCY_TARGET_MS, Format.ONE)));
    table.add("alarm latency max (ms)", Stats.of(max), Format.ONE, List.of(new Baseline(acked, Stats.of(ackMax))),
        Optional.empty());
    table.add("background load stored while timing alarms (readings/s)", Stats.of(achieved), Format.COUNT,
        List.of(), Optional.of(Target.atLeast(load * 0.95, Format.COUNT)));
    table.note("Alarm latency: unit " + ALARM_UNIT + " (profile RBC_TRANSPORT: above +10 °C alarms at once) gets"
        + " 12 °C, the webhook's 'raised' call is awaited, then 5 °C and the 'cleared' call; the first "
        + WARMUP_SAMPLES + " alarms of a run are not counted. The path: MQTT publish, broker, gateway ingest"
        + " (stored and evaluated in one transaction), notification queue, HTTP POST (HMAC-signed) to a JDK"
        + " HTTP server on loopback. Baseline: the same crossing reading, published -> the gateway's ack of it"
        + " received by the publisher (stored and committed, then back over MQTT). Background: " + agents
        + " agents each send a batch every " + LOAD_PERIOD_MS + " ms." + (lost > 0 ? " " + lost + " alarms got no webhook within " + HOOK_WAIT.toSeconds() + " s." : ""));
  }

  /**
   * One run's latencies in ms (to the webhook, and to the gateway's ack of the same reading), the
   * alarms that never came, and the background readings/s stored meanwhile.
   */
  private record Latencies(List<Double> millis, List<Double> ackMillis, long lost, double background) {
    double percentile(double p) {
      return millis.isEmpty() ? Double.NaN : Stats.percentile(millis, p);
    }

    double ackPercentile(double p) {
      return ackMillis.isEmpty() ? Double.NaN : Stats.percentile(ackMillis, p);
    }
  }

  private Latencies latencies(Path dir) throws Exception {
    Workload fleet = new Workload(SITE, agents, 8, 4);
    Files.writeString(Files.createDirectories(dir).resolve("hook.secret"), "bench-webhook-key\n");
    try (WebhookReceiver hooks = WebhookReceiver.start()) {
      String alarmAgent = """
                - id: %s
                  units:
                    - id: %s
                      profile: RBC_TRANSPORT
          """.formatted(ALARM_AGENT, ALARM_UNIT);
      String notify = """
          notify:
            webhooks:
              - url: %s
                secretFile: hook.secret
            retry:
              first: 1s
          """.formatted(hooks.url());
      Path yaml = BenchMain.write(dir.resolve("gateway.yaml"),
          fleet.gatewayYaml(dir.resolve("data"), AgentBench.EMBEDDED_BROKER, alarmAgent, notify));
      try (GatewayApp gateway = GatewayApp.start(GatewayConfig.load(yaml), clock);
          BatchAgents background = new BatchAgents(gateway.brokerUrl(), fleet, "bench-load")) {
        MqttAsyncClient alarmClient = Mqtt.connect(gateway.brokerUrl(), "bench-alarm-agent", true, 100);
        ScheduledExecutorService loader = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-load"));
        AtomicLong[] seqs = new AtomicLong[agents];
        for (int a = 0; a < agents; a++) {
          seqs[a] = new AtomicLong();
        }
        AtomicReference<Throwable> loadFailure = new AtomicReference<>();
        int perBatch = (int) Math.max(1, load * LOAD_PERIOD_MS / 1000 / agents);
        try {
          if (load > 0) {
            loader.scheduleAtFixedRate(() -> {
              try {
                long now = clock.millis();
                for (int a = 0; a < agents; a++) {
                  long first = seqs[a].get() + 1;
                  background.publishOne(a, WireCodec.encode(fleet.liveBatch(a, first, perBatch, now)));
                  seqs[a].addAndGet(perBatch);
                }
              } catch (Throwable t) {
                loadFailure.compareAndSet(null, t);
              }
            }, 0, LOAD_PERIOD_MS, TimeUnit.MILLISECONDS);
          }
          return drive(alarmClient, hooks, background, loadFailure);
        } finally {
          loader.shutdownNow();
          loader.awaitTermination(5, TimeUnit.SECONDS);
          Mqtt.close(alarmClient);
        }
      }
    }
  }

  /** Drives the alarm unit across its limit and back; returns the timed latencies. */
  private Latencies drive(MqttAsyncClient client, WebhookReceiver hooks, BatchAgents background,
      AtomicReference<Throwable> loadFailure) throws Exception {
    String topic = Topics.agent(SITE, ALARM_AGENT, Topics.Kind.READINGS);
    // When the gateway acked each seq of the alarm agent: stored and committed, the other half of the path.
    Map<Long, Long> ackedAt = new ConcurrentHashMap<>();
    client.setCallback(new MqttCallback() {
      @Override
      public void messageArrived(String t, MqttMessage message) {
        long now = System.nanoTime();
        if (WireCodec.decodeAck(message.getPayload()) instanceof Decoded.Valid<Ack> ack) {
          ackedAt.putIfAbsent(ack.value().upTo(), now);
        }
      }

      @Override
      public void connectionLost(Throwable cause) {
        // the hooks then stop coming, and the run says so
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {
        // fire and forget
      }
    });
    Mqtt.subscribe(client, Topics.agent(SITE, ALARM_AGENT, Topics.Kind.ACK));
    long seq = 0;
    long time = clock.millis();
    List<Double> millis = new ArrayList<>();
    List<Double> ackMillis = new ArrayList<>();
    long lost = 0;
    long ackedBefore = 0;
    long startedNanos = 0;
    for (int i = 0; i < WARMUP_SAMPLES + samples; i++) {
      if (loadFailure.get() != null) {
        throw new BenchException("the background load failed: " + loadFailure.get(), loadFailure.get());
      }
      boolean counted = i >= WARMUP_SAMPLES;
      if (i == WARMUP_SAMPLES) {
        ackedBefore = background.ackedTotal();
        startedNanos = System.nanoTime();
      }
      time = Math.max(time + 1, clock.millis());
      long hotSeq = ++seq;
      byte[] hot = WireCodec.encode(new ReadingBatch(SITE, ALARM_AGENT,
          List.of(new Reading(hotSeq, time, ALARM_UNIT, ALARM_PROBE, 12.0, Quality.OK, true))));
      String startedAt = Instant.ofEpochMilli(time).toString();
      long sent = System.nanoTime();
      client.publish(topic, hot, 1, false);
      Optional<WebhookReceiver.Hook> raised = await(hooks, "raised", startedAt);
      if (raised.isEmpty()) {
        lost += counted ? 1 : 0;
      } else if (counted) {
        millis.add((raised.get().arrivedNanos() - sent) / 1e6);
        Long acked = awaitAck(ackedAt, hotSeq);
        if (acked != null) {
          ackMillis.add((acked - sent) / 1e6);
        }
      }
      time = Math.max(time + 1, clock.millis());
      byte[] cold = WireCodec.encode(new ReadingBatch(SITE, ALARM_AGENT,
          List.of(new Reading(++seq, time, ALARM_UNIT, ALARM_PROBE, 5.0, Quality.OK, true))));
      client.publish(topic, cold, 1, false);
      await(hooks, "cleared", startedAt);
    }
    double stored = (background.ackedTotal() - ackedBefore) / AgentBench.seconds(System.nanoTime() - startedNanos);
    return new Latencies(millis, ackMillis, lost, stored);
  }

  /** When the gateway's ack of {@code seq} arrived (it may come just after the webhook), or null. */
  private static Long awaitAck(Map<Long, Long> ackedAt, long seq) throws InterruptedException {
    long deadline = System.nanoTime() + HOOK_WAIT.toNanos();
    while (!ackedAt.containsKey(seq) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(1);
    }
    return ackedAt.get(seq);
  }

  /** The next webhook call for the alarm that started at {@code startedAt} with {@code event}. */
  private static Optional<WebhookReceiver.Hook> await(WebhookReceiver hooks, String event, String startedAt)
      throws InterruptedException {
    long deadline = System.nanoTime() + HOOK_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<WebhookReceiver.Hook> h = hooks.next(Duration.ofNanos(deadline - System.nanoTime()));
      if (h.isPresent() && h.get().event().equals(event) && h.get().unit().equals(ALARM_UNIT)
          && h.get().startedAt().equals(startedAt)) {
        return h;
      }
    }
    return Optional.empty();
  }
}
