package org.sangfroid.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.outbox.EventOutbox;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.agent.outbox.Occurrence;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.agent.testkit.BrokerExtension;
import org.sangfroid.agent.testkit.TestBroker;
import org.sangfroid.agent.testkit.TestGateway;
import org.sangfroid.core.wire.AgentEvent;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Topics;

/** The events' priority lane against a real broker (HiveMQ CE embedded), the test playing the gateway. */
@ExtendWith(BrokerExtension.class)
class MqttPublisherEventsIT {
  private static final String SITE = "site-ev";
  private static final long T = 1_768_464_000_000L;

  @TempDir Path dataDir;
  private TestBroker broker;
  private String agent;
  private Outbox outbox;
  private EventOutbox events;
  private SimpleMeterRegistry meters;
  private ExecutorService thread;
  private MqttPublisher publisher;
  private TestGateway gateway;

  @BeforeEach
  void setUp(TestBroker broker, TestInfo test) {
    this.broker = broker;
    String name = test.getTestMethod().orElseThrow().getName().replaceAll("[^A-Za-z0-9]", "").toLowerCase();
    this.agent = "ev-" + name.substring(0, Math.min(name.length(), 60));
    outbox = Outbox.open(dataDir);
    events = EventOutbox.open(dataDir);
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
    events.close();
    outbox.close();
    if (gateway != null) {
      gateway.close();
    }
  }

  private void start(int batchSize, Duration ackTimeout) {
    publisher = new MqttPublisher(new MqttPublisher.Settings(broker.url(), SITE, agent, Optional.empty(),
        Optional.empty(), batchSize, ackTimeout, MqttPublisher.DEFAULT_MAX_BATCHES_IN_FLIGHT, Duration.ofMillis(100),
        Duration.ofSeconds(1), "test-1.0", T, MqttPublisher.DEFAULT_STATUS_INTERVAL), outbox, events,
        Clock.systemUTC(), meters);
    publisher.start(thread);
  }

  private void append(int n) {
    List<Measurement> tick = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tick.add(new Measurement(T + i, "rbc-fridge-1", "28-0316a2794aff", 4.0, Quality.OK, true));
    }
    outbox.append(tick);
  }

  private long doorOpened(long t) {
    long seq = events.record(Occurrence.of(t, "rbc-fridge-1", AgentEvent.Type.DOOR_OPEN, true)).orElseThrow();
    if (publisher != null) {
      publisher.wake();
    }
    return seq;
  }

  /** Issue 3: a door opened during a week-long outage reaches the gateway before the week of readings. */
  @Test
  void backlogOfTenThousandReadings_eventArrivesBeforeTheFirstBatch() {
    append(10_000);
    doorOpened(T + 10_000);
    gateway = TestGateway.connect(broker.url(), SITE, agent);

    start(500, Duration.ofSeconds(30));

    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.readings().size() >= 10_000);
    assertThat(gateway.arrivals().get(0)).isEqualTo(new TestGateway.Arrival(Topics.Kind.EVENTS, 1));
    assertThat(gateway.events()).extracting(AgentEvent::seq, AgentEvent::type, AgentEvent::active)
        .containsExactly(tuple(1L, AgentEvent.Type.DOOR_OPEN, true));
    assertThat(gateway.invalidPayloads()).isEmpty();
  }

  @Test
  void readingsWindowFull_eventStillGoesOut() {
    append(100);
    gateway = TestGateway.connect(broker.url(), SITE, agent);
    start(1, Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.seqs().size() >= 20);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> gateway.seqs().size() == 20);

    doorOpened(T + 100);

    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.events().size() == 1);
    assertThat(gateway.seqs()).as("the readings still wait for their ack").hasSize(20);
  }

  @Test
  void noEventsAck_resentAfterTheAckTimeoutUntilAcked() {
    gateway = TestGateway.connect(broker.url(), SITE, agent);
    doorOpened(T);
    start(500, Duration.ofSeconds(1));

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.events().size() >= 3);
    assertThat(gateway.events()).extracting(AgentEvent::seq).containsOnly(1L);
    assertThat(events.depth()).as("kept until the gateway's ack").isEqualTo(1);
    assertThat(meters.counter("sangfroid.agent.events.resends").count()).isGreaterThanOrEqualTo(2.0);

    gateway.ackEvents(1);

    await().atMost(Duration.ofSeconds(5)).until(() -> events.depth() == 0);
    int received = gateway.events().size();
    await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
        .until(() -> gateway.events().size() == received);
    assertThat(publisher.ackedEventsUpTo()).isEqualTo(1);
  }

  @Test
  void readingsAndEventsAcks_eachForgetsOnlyItsOwn() {
    append(5);
    doorOpened(T);
    gateway = TestGateway.connect(broker.url(), SITE, agent);
    start(500, Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.seqs().size() == 5 && gateway.events().size() == 1);

    gateway.ack(5);
    await().atMost(Duration.ofSeconds(5)).until(() -> outbox.depth() == 0);
    assertThat(events.depth()).isEqualTo(1);

    gateway.ackEvents(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.depth() == 0);
    assertThat(outbox.lastSeq()).isEqualTo(5);
  }

  @Test
  void eventsAckBeyondAnythingNumbered_eventsRenumberedAndDelivered() {
    // The gateway remembers event 40 from this agent's previous SD card; the new outbox starts at 1.
    gateway = TestGateway.connect(broker.url(), SITE, agent);
    gateway.ackEvents(40);
    doorOpened(T);

    start(500, Duration.ofSeconds(30));

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.events().stream().anyMatch(e -> e.seq() == 41));
    gateway.ackEvents(41);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.depth() == 0);
  }
}
