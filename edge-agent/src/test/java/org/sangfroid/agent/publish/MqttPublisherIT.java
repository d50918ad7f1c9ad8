package org.sangfroid.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.outbox.BeyondRules;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.agent.testkit.BrokerExtension;
import org.sangfroid.agent.testkit.MutableClock;
import org.sangfroid.agent.testkit.TestBroker;
import org.sangfroid.agent.testkit.TestGateway;
import org.sangfroid.core.excursion.Profiles;
import org.sangfroid.core.wire.AgentStatus;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.ReadingBatch;

/** The publisher against a real broker (HiveMQ CE embedded), with the test playing the gateway. */
@ExtendWith(BrokerExtension.class)
class MqttPublisherIT {
  private static final String SITE = "site-it";
  private static final long STARTED_AT = 1_768_464_000_000L;

  @TempDir Path dataDir;
  private TestBroker broker;
  private String agent;
  private Outbox outbox;
  private SimpleMeterRegistry meters;
  private ExecutorService thread;
  private MqttPublisher publisher;
  private TestGateway gateway;

  @BeforeEach
  void setUp(TestBroker broker, TestInfo test) {
    this.broker = broker;
    // One agent per test: the broker is shared, and retained messages must not leak between tests.
    this.agent = "agent-" + test.getTestMethod().orElseThrow().getName().replaceAll("[^A-Za-z0-9]", "").toLowerCase();
    this.agent = agent.substring(0, Math.min(agent.length(), 60));
    outbox = Outbox.open(dataDir);
    meters = new SimpleMeterRegistry();
    thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-publisher"));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (publisher != null) {
      publisher.close();
    }
    thread.shutdownNow();
    thread.awaitTermination(5, TimeUnit.SECONDS);
    outbox.close();
    if (gateway != null) {
      gateway.close();
    }
  }

  private MqttPublisher.Settings settings(String url, int batchSize, Duration ackTimeout) {
    return new MqttPublisher.Settings(url, SITE, agent, Optional.empty(), Optional.empty(), batchSize, ackTimeout,
        MqttPublisher.DEFAULT_MAX_BATCHES_IN_FLIGHT, Duration.ofMillis(100), Duration.ofSeconds(1), "test-1.0",
        STARTED_AT, MqttPublisher.DEFAULT_STATUS_INTERVAL);
  }

  private void startPublisher(MqttPublisher.Settings settings) {
    publisher = new MqttPublisher(settings, outbox, Clock.systemUTC(), meters);
    publisher.start(thread);
  }

  private void append(int n) {
    List<Measurement> tick = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tick.add(new Measurement(STARTED_AT + i, "rbc-fridge-1", "28-0316a2794aff", 4.0, Quality.OK, true));
    }
    outbox.append(tick);
    if (publisher != null) {
      publisher.wake();
    }
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private double counter(String name) {
    return meters.counter(name).count();
  }

  @Test
  void drain_gatewayAcks_readingsArriveInSeqOrderAndRowsLeaveOnlyOnAck() {
    gateway = TestGateway.connect(broker.url(), SITE, agent);
    for (int i = 0; i < 3; i++) {
      append(400);
    }

    startPublisher(settings(broker.url(), 500, Duration.ofSeconds(30)));

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.seqs().size() >= 1200);
    assertThat(gateway.seqs()).isEqualTo(range(1, 1200));
    assertThat(gateway.batches()).extracting(ReadingBatch::firstSeq, ReadingBatch::oldest)
        .containsExactly(tuple(1L, 1L), tuple(501L, 1L), tuple(1001L, 1L));
    // Every batch has its PUBACK by now; the rows must stay until the gateway's ack.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> outbox.depth() == 1200);

    gateway.ack(500);
    await().atMost(Duration.ofSeconds(5)).until(() -> outbox.depth() == 700);
    assertThat(publisher.ackedUpTo()).isEqualTo(500);

    gateway.ack(1200);
    await().atMost(Duration.ofSeconds(5)).until(() -> outbox.depth() == 0);
    assertThat(counter("sangfroid.agent.readings.published")).isEqualTo(1200.0);
    assertThat(counter("sangfroid.agent.readings.acked")).isEqualTo(1200.0);
    assertThat(gateway.invalidPayloads()).isEmpty();
  }

  @Test
  void drain_noAck_rowsStayAndAreResentAfterAckTimeout() {
    gateway = TestGateway.connect(broker.url(), SITE, agent);
    append(10);

    startPublisher(settings(broker.url(), 500, Duration.ofSeconds(1)));

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.seqs().size() >= 20);
    assertThat(gateway.seqs().subList(0, 20)).isEqualTo(concat(range(1, 10), range(1, 10)));
    assertThat(outbox.depth()).isEqualTo(10);
    assertThat(counter("sangfroid.agent.resends")).isGreaterThanOrEqualTo(1.0);

    gateway.ack(10);
    await().atMost(Duration.ofSeconds(5)).until(() -> outbox.depth() == 0);
  }

  @Test
  void drain_gatewaySilent_stopsAtTwentyBatchesInFlightUntilAcked() {
    gateway = TestGateway.connect(broker.url(), SITE, agent);
    append(30);

    startPublisher(settings(broker.url(), 1, Duration.ofSeconds(30)));

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.seqs().size() >= 20);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> gateway.seqs().size() == 20);
    assertThat(gateway.seqs()).isEqualTo(range(1, 20));

    gateway.ack(5);

    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.seqs().size() >= 25);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> gateway.seqs().size() == 25);
    assertThat(gateway.seqs()).isEqualTo(range(1, 25));
    // Readings up to 5 are acked and gone: the later batches say the agent holds nothing older than 6.
    assertThat(gateway.batches().get(24).oldest()).isEqualTo(6);
  }

  @Test
  void drain_ackTimeout_probesWithOneBatchUntilTheGatewayAcks() {
    gateway = TestGateway.connect(broker.url(), SITE, agent);
    append(30);
    startPublisher(settings(broker.url(), 1, Duration.ofSeconds(1)));
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.seqs().size() >= 22);

    // After each timeout only the oldest unacked batch goes out again.
    assertThat(gateway.seqs().subList(20, 22)).containsExactly(1L, 1L);

    gateway.ack(1);

    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.seqs().contains(21L));
    assertThat(gateway.seqs()).containsSubsequence(range(2, 21));
  }

  @Test
  void brokerRestart_unackedReadingsAreDeliveredAfterReconnect() {
    gateway = TestGateway.connect(broker.url(), SITE, agent);
    append(5);
    startPublisher(settings(broker.url(), 500, Duration.ofSeconds(2)));
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.seqs().size() >= 5);
    gateway.ack(3);
    await().atMost(Duration.ofSeconds(5)).until(() -> outbox.depth() == 2);

    broker.stop();
    await().atMost(Duration.ofSeconds(10)).until(() -> !publisher.isConnected());
    append(5); // seqs 6..10, sampled while the broker is down
    int before = gateway.seqs().size();
    broker.startAgain();
    gateway.reconnect();

    // In-memory broker: session and retained ack are gone; the agent still knows it acked 3.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(new LinkedHashSet<>(gateway.seqs().subList(before, gateway.seqs().size())))
            .containsExactlyElementsOf(range(4, 10)));
    assertThat(outbox.depth()).isEqualTo(7);

    gateway.ack(10);
    await().atMost(Duration.ofSeconds(5)).until(() -> outbox.depth() == 0);
  }

  /** Issue 3: the retained status is published again every minute, with the outbox's health. */
  @Test
  void status_republishedEveryIntervalWithDepthOldestAndDropped() {
    MutableClock clock = new MutableClock(Instant.ofEpochMilli(STARTED_AT + 3_600_000));
    gateway = TestGateway.connect(broker.url(), SITE, agent);
    publisher = new MqttPublisher(settings(broker.url(), 500, Duration.ofHours(1)), outbox, clock, meters);
    publisher.start(thread);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.statuses().size() == 1);
    assertThat(gateway.statuses().get(0).outboxDepth()).isZero();
    assertThat(gateway.statuses().get(0).oldestUnsent()).isEmpty();

    append(4);
    clock.advance(Duration.ofSeconds(59));
    publisher.wake();
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.readings().size() == 4);
    assertThat(gateway.statuses()).hasSize(1);

    clock.advance(Duration.ofSeconds(1));
    publisher.wake();

    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.statuses().size() == 2);
    assertThat(gateway.statuses().get(1)).isEqualTo(new AgentStatus(true, "test-1.0", STARTED_AT, 4,
        OptionalLong.of(STARTED_AT), OptionalLong.of(0)));
  }

  /** Issue 3: readings dropped from the middle of a full outbox are described as gaps. */
  @Test
  void fullOutbox_batchesDescribeEveryDroppedSeqAsAGap() {
    outbox.close();
    outbox = Outbox.open(dataDir.resolve("bounded"), 1000,
        new BeyondRules(Map.of("rbc-fridge-1", Profiles.byId("RBC_STORE_EU").orElseThrow())), Clock.systemUTC());
    for (int tick = 0; tick < 15; tick++) {
      double celsius = tick == 3 ? 9.0 : 4.0;  // tick 3 is an excursion: ticks 2..4 are kept
      List<Measurement> readings = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        readings.add(new Measurement(STARTED_AT + tick * 60_000L, "rbc-fridge-1", "28-0316a2794aff", celsius,
            Quality.OK, true));
      }
      outbox.append(readings);
    }
    assertThat(outbox.dropped()).isEqualTo(500);
    gateway = TestGateway.connect(broker.url(), SITE, agent);

    startPublisher(settings(broker.url(), 150, Duration.ofSeconds(30)));

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.readings().size() == 1000);
    Set<Long> described = new TreeSet<>(gateway.seqs());
    for (ReadingBatch b : gateway.batches()) {
      for (ReadingBatch.Gap g : b.gaps()) {
        LongStream.rangeClosed(g.from(), g.to()).forEach(seq -> assertThat(described.add(seq))
            .as("seq %d is either sent or a gap, once", seq).isTrue());
      }
    }
    assertThat(described).containsExactlyElementsOf(range(1, 1500));
    assertThat(gateway.seqs()).as("the excursion period, ticks 2..4, is kept").containsAll(range(201, 500));
    assertThat(gateway.batches()).flatExtracting(ReadingBatch::gaps)
        .containsExactly(new ReadingBatch.Gap(1, 200), new ReadingBatch.Gap(501, 800));
  }

  @Test
  void session_birthRetainedOnConnectAndLastWillOnAbruptLoss() {
    append(7);
    startPublisher(settings(broker.url(), 500, Duration.ofSeconds(30)));
    await().atMost(Duration.ofSeconds(10)).until(publisher::isConnected);

    // Subscribing after the birth: it is retained, so it still arrives.
    gateway = TestGateway.connect(broker.url(), SITE, agent);
    await().atMost(Duration.ofSeconds(5)).until(() -> !gateway.statuses().isEmpty());
    assertThat(gateway.statuses().get(0)).isEqualTo(new AgentStatus(true, "test-1.0", STARTED_AT, 7,
        OptionalLong.of(STARTED_AT), OptionalLong.of(0)));

    broker.cutConnection(settings(broker.url(), 500, Duration.ofSeconds(30)).clientId());

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.statuses().size() >= 3);
    assertThat(gateway.statuses().subList(0, 3)).extracting(AgentStatus::online).containsExactly(true, false, true);
    assertThat(gateway.statuses().get(1)).isEqualTo(AgentStatus.lastWill());

    publisher.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.statuses().size() >= 4);
    assertThat(gateway.statuses().get(3)).isEqualTo(AgentStatus.lastWill());
  }

  @Test
  void ack_invalidPayload_ignoredAndCounted() {
    gateway = TestGateway.connect(broker.url(), SITE, agent);
    append(3);
    startPublisher(settings(broker.url(), 500, Duration.ofSeconds(30)));
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.seqs().size() >= 3);

    gateway.publishAck("{\"v\":1,\"upTo\":\"all\"}".getBytes(StandardCharsets.UTF_8));
    gateway.publishAck("not json".getBytes(StandardCharsets.UTF_8));

    await().atMost(Duration.ofSeconds(5)).until(() -> counter("sangfroid.agent.acks.invalid") == 2.0);
    assertThat(outbox.depth()).isEqualTo(3);
    gateway.ack(3);
    await().atMost(Duration.ofSeconds(5)).until(() -> outbox.depth() == 0);
  }

  @Test
  void ack_beyondAnythingNumbered_readingsRenumberedAndDelivered() {
    // The gateway remembers seq 1000 from this agent's previous SD card; the new outbox starts at 1.
    gateway = TestGateway.connect(broker.url(), SITE, agent);
    gateway.ack(1000);
    append(3);

    startPublisher(settings(broker.url(), 500, Duration.ofSeconds(30)));

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.seqs().contains(1003L));
    assertThat(new LinkedHashSet<>(gateway.seqs())).containsSubsequence(1001L, 1002L, 1003L);
    assertThat(outbox.depth()).isEqualTo(3);
    gateway.ack(1003);
    await().atMost(Duration.ofSeconds(5)).until(() -> outbox.depth() == 0);
  }

  @Test
  void drain_outboxRowUnreadable_loopSurvivesAndResumesOnceRepaired() throws Exception {
    gateway = TestGateway.connect(broker.url(), SITE, agent);
    append(2);
    String db = "jdbc:sqlite:" + dataDir.resolve(Outbox.FILE_NAME);
    try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE outbox SET quality = 'melted' WHERE seq = 1");
    }

    startPublisher(settings(broker.url(), 500, Duration.ofSeconds(30)));

    await().atMost(Duration.ofSeconds(10)).until(() -> counter("sangfroid.agent.publisher.errors") >= 2);
    assertThat(gateway.seqs()).isEmpty();
    try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE outbox SET quality = 'ok' WHERE seq = 1");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.seqs().equals(range(1, 2)));
  }

  @Test
  void connect_noBrokerListening_keepsRetryingAndClosesPromptly() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    startPublisher(settings("tcp://127.0.0.1:" + port, 500, Duration.ofSeconds(30)));

    await().atMost(Duration.ofSeconds(10)).until(() -> counter("sangfroid.agent.mqtt.connect.failures") >= 3);
    assertThat(publisher.isConnected()).isFalse();

    assertThat(CompletableFuture.runAsync(publisher::close)).succeedsWithin(Duration.ofSeconds(10));
  }

  private static List<Long> concat(List<Long> a, List<Long> b) {
    List<Long> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
