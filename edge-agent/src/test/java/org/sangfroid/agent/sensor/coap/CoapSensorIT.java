package org.sangfroid.agent.sensor.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.agent.testkit.MutableClock;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.simulator.coap.CoapTemperatureNode;

/**
 * Issue 3 (Sensors): wireless nodes over real UDP and DTLS on loopback, served by the
 * simulator's {@link CoapTemperatureNode}. The agent's clock is a {@link MutableClock}, so
 * "silent for 30 s" is a clock step, not a wait.
 */
class CoapSensorIT {
  private static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration SILENT_AFTER = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
  private static final byte[] OTHER_KEY = HexFormat.of().parseHex("0f0e0d0c0b0a09080706050403020100");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(NOW);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  /** Fast DTLS retransmissions: a refused key is reported in about 3 s, not a minute. */
  private final CoapNodes nodes = new CoapNodes(clock, meters, Duration.ofMillis(100));
  private CoapTemperatureNode node;

  @AfterEach
  void close() {
    nodes.close();
    if (node != null) {
      node.close();
    }
  }

  private CoapSensor observe(URI uri) {
    CoapSensor sensor = nodes.add("node-1", new CoapNode(uri, SILENT_AFTER, Optional.empty()));
    nodes.start();
    return sensor;
  }

  private double count(String name, String result) {
    return meters.counter(name, "sensor", "node-1", "result", result).count();
  }

  @Test
  void read_nodeNotifies_eachReadGivesTheLatestValue() {
    node = CoapTemperatureNode.plain(LOOPBACK, clock).start();
    node.temperature(4.25);
    CoapSensor sensor = observe(node.uri());

    await().atMost(WAIT).until(sensor::read, SensorReading.ok(4.25)::equals);
    node.temperature(5.5);
    await().atMost(WAIT).until(sensor::read, SensorReading.ok(5.5)::equals);
    node.temperature(-0.125);

    await().atMost(WAIT).until(sensor::read, SensorReading.ok(-0.125)::equals);
    assertThat(count("sangfroid.agent.coap.notifications", "accepted")).isEqualTo(3);
    assertThat(count("sangfroid.agent.coap.observe", "sent")).as("one observation, not one request per value")
        .isEqualTo(1);
    assertThat(sensor.problem()).isEmpty();
  }

  @Test
  void read_objectInstance_takesTheSensorValueRecord() {
    node = CoapTemperatureNode.plain(LOOPBACK, clock).start();
    node.temperature(22.5);

    CoapSensor sensor = observe(node.objectUri());

    await().atMost(WAIT).until(sensor::read, SensorReading.ok(22.5)::equals);
  }

  @Test
  void read_beforeAnyNotification_disconnected() {
    node = CoapTemperatureNode.plain(LOOPBACK, clock).start();

    CoapSensor sensor = nodes.add("node-1", new CoapNode(node.uri(), SILENT_AFTER, Optional.empty()));

    assertThat(sensor.read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
  }

  @Test
  void read_nodeGoesSilentThenComesBack_disconnectedAfterSilentAfterThenReadsAgain() {
    node = CoapTemperatureNode.plain(LOOPBACK, clock).start();
    node.temperature(4.25);
    CoapSensor sensor = observe(node.uri());
    await().atMost(WAIT).until(sensor::read, SensorReading.ok(4.25)::equals);

    node.stop();
    clock.advance(SILENT_AFTER);
    assertThat(sensor.read()).as("exactly silentAfter old: still the last value").isEqualTo(SensorReading.ok(4.25));
    clock.advance(Duration.ofSeconds(1));
    assertThat(sensor.read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));

    // The node reboots: its observers are gone, the agent must subscribe again by itself.
    clock.advance(CoapSensor.MAX_RETRY);
    node.start();
    node.temperature(5.75);
    await().atMost(WAIT).until(sensor::read, SensorReading.ok(5.75)::equals);
    assertThat(count("sangfroid.agent.coap.observe", "sent")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void read_nodeThatNotifiesOnlyOnChange_isAskedAgainAndStaysFresh() {
    node = CoapTemperatureNode.plain(LOOPBACK, clock).start();
    node.timestamps(false); // a node without a clock: freshness counts from each answer
    node.temperature(4.0);
    CoapSensor sensor = observe(node.uri());
    await().atMost(WAIT).until(sensor::read, SensorReading.ok(4.0)::equals);

    clock.advance(SILENT_AFTER.multipliedBy(3).dividedBy(4));
    await().atMost(WAIT).until(() -> count("sangfroid.agent.coap.notifications", "accepted") >= 2);
    clock.advance(SILENT_AFTER.multipliedBy(3).dividedBy(4));

    assertThat(sensor.read()).as("1.5 × silentAfter after the first value, fresh from the re-registration")
        .isEqualTo(SensorReading.ok(4.0));
  }

  @Test
  void read_nodeSendsAnOldMeasurement_disconnected() {
    node = CoapTemperatureNode.plain(LOOPBACK, clock).start();
    node.temperature(4.0); // measured at NOW by the node's clock
    clock.advance(SILENT_AFTER.plusSeconds(5));

    CoapSensor sensor = observe(node.uri());

    await().atMost(WAIT).until(() -> count("sangfroid.agent.coap.notifications", "accepted") >= 1);
    assertThat(sensor.read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
    assertThat(sensor.problem()).hasValueSatisfying(p -> assertThat(p).contains("check the node's clock"));
  }

  @Test
  void read_malformedPayloads_faultedReadingsCountedThenRecovers() {
    node = CoapTemperatureNode.plain(LOOPBACK, clock).start();
    node.temperature(4.0);
    CoapSensor sensor = observe(node.uri());
    await().atMost(WAIT).until(sensor::read, SensorReading.ok(4.0)::equals);

    node.payload("temperature=4.5");
    await().atMost(WAIT).until(sensor::read, SensorReading.fault(Quality.CRC_ERROR)::equals);
    assertThat(sensor.problem()).hasValueSatisfying(p -> assertThat(p).startsWith("payload [temperature=4.5] must be"
        + " SenML JSON"));
    node.payload("[{\"n\":\"5700\",\"v\":4.5,\"u\":\"Far\"}]");
    await().atMost(WAIT).until(sensor::problem,
        Optional.of("records[0].u [Far] must be Cel (degrees Celsius).")::equals);
    assertThat(sensor.read()).isEqualTo(SensorReading.fault(Quality.CRC_ERROR));
    node.payload("[{\"n\":\"5700\",\"v\":400}]");
    await().atMost(WAIT).until(sensor::read, SensorReading.fault(Quality.OUT_OF_RANGE)::equals);
    node.temperature(4.5);

    await().atMost(WAIT).until(sensor::read, SensorReading.ok(4.5)::equals);
    assertThat(count("sangfroid.agent.coap.notifications", "rejected")).isEqualTo(3);
    assertThat(sensor.problem()).isEmpty();
  }

  @Test
  void read_nodeWithoutThatResource_disconnectedWithTheAnswer() {
    node = CoapTemperatureNode.plain(LOOPBACK, clock).start();
    node.temperature(4.0);
    URI wrong = URI.create("coap://" + LOOPBACK.getHostAddress() + ":" + node.port() + "/3303/1/5700");

    CoapSensor sensor = observe(wrong);

    await().atMost(WAIT).until(sensor::problem, Optional.of("answered 4.04 not found")::equals);
    assertThat(sensor.read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
  }

  private Path keyFile(byte[] key) throws Exception {
    return Files.writeString(dir.resolve("node.psk"), HexFormat.of().formatHex(key) + "\n");
  }

  @Test
  void read_dtlsWithTheNodesKey_readsValues() throws Exception {
    node = CoapTemperatureNode.secure(LOOPBACK, clock, "node-1", KEY).start();
    node.temperature(-29.5);

    CoapSensor sensor = nodes.add("node-1",
        new CoapNode(node.uri(), SILENT_AFTER, Optional.of(new Psk("node-1", keyFile(KEY)))));
    nodes.start();

    assertThat(node.uri().getScheme()).isEqualTo("coaps");
    await().atMost(WAIT).until(sensor::read, SensorReading.ok(-29.5)::equals);
    node.temperature(-30.0);
    await().atMost(WAIT).until(sensor::read, SensorReading.ok(-30.0)::equals);
  }

  @Test
  void read_dtlsWithAnotherKey_neverReadsAndSaysWhy() throws Exception {
    node = CoapTemperatureNode.secure(LOOPBACK, clock, "node-1", KEY).start();
    node.temperature(-29.5);

    CoapSensor sensor = nodes.add("node-1",
        new CoapNode(node.uri(), SILENT_AFTER, Optional.of(new Psk("node-1", keyFile(OTHER_KEY)))));
    nodes.start();

    await().atMost(WAIT).until(() -> count("sangfroid.agent.coap.observe", "failed") >= 1);
    assertThat(sensor.problem()).hasValue("DTLS handshake failed: the node answered but refused the key"
        + " (psk.identity or the key file differ from the node's)");
    assertThat(count("sangfroid.agent.coap.notifications", "accepted")).isZero();
    clock.advance(SILENT_AFTER.plusSeconds(1));
    assertThat(sensor.read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
  }

  @Test
  void readOnce_answeringAndSilentNodes_valueOrWhy() {
    node = CoapTemperatureNode.plain(LOOPBACK, clock).start();
    node.temperature(4.125);

    CoapNodes.Answer answer = nodes.read(new CoapNode(node.uri(), SILENT_AFTER, Optional.empty()),
        Duration.ofSeconds(2));
    node.stop();
    CoapNodes.Answer silent = nodes.read(new CoapNode(node.uri(), SILENT_AFTER, Optional.empty()),
        Duration.ofMillis(300));

    assertThat(answer.reading()).isEqualTo(SensorReading.ok(4.125));
    assertThat(answer.detail()).isEqualTo("measured " + NOW);
    assertThat(silent).isEqualTo(new CoapNodes.Answer(SensorReading.fault(Quality.DISCONNECTED),
        "no answer within 300ms"));
  }

  @Test
  void close_stopsEveryCoapThread() {
    node = CoapTemperatureNode.plain(LOOPBACK, clock).start();
    node.temperature(4.0);
    CoapSensor sensor = observe(node.uri());
    await().atMost(WAIT).until(sensor::read, SensorReading.ok(4.0)::equals);
    assertThat(coapThreads()).contains("sangfroid-coap", "sangfroid-coap-io");

    nodes.close();
    node.temperature(5.0);
    node.stop();

    // The connectors' threads (UDP-*, DTLS-*) end when their sockets close.
    await().atMost(WAIT).untilAsserted(() -> assertThat(coapThreads()).isEmpty());
    assertThat(sensor.read()).as("nothing taken after close").isEqualTo(SensorReading.ok(4.0));
  }

  private static Set<String> coapThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("sangfroid-coap") || n.startsWith("UDP-") || n.startsWith("DTLS-")
            || n.startsWith("CoapServer"))
        .collect(Collectors.toSet());
  }
}
