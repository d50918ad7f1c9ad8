package org.sangfroid.gateway.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.sangfroid.core.net.NoDelaySocketFactory;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;
import org.sangfroid.gateway.alarm.AlarmChange;
import org.sangfroid.gateway.alarm.AlarmEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's MQTT client (Paho mqttv3): a persistent session ({@code cleanSession=false},
 * client id {@value #CLIENT_ID}) subscribed at QoS 1 to every agent's readings, status and events, a
 * retained birth message and last will on {@link Topics#gatewayState()}, and a reconnect loop
 * with exponential backoff on its own thread.
 *
 * <p>Paho's callback only parses and checks each message (no database) and queues it for one
 * ingest thread ({@value #INGEST_THREAD}), so decoding runs beside the database work. That thread
 * stores the messages that arrived together in one transaction ({@link Ingest#acceptAll}:
 * one commit for up to {@value #MAX_GROUP} batches instead of one each, the gateway's throughput
 * under load). Acks are manual: a message's PUBACK goes out only after its transaction is
 * committed, so the broker's flow control still back-pressures agents while the database is
 * busy, and a message not yet stored when the connection drops is delivered again by the broker.
 * Nothing escapes the ingest thread's loop. Acks to agents are published retained at QoS 1
 * without waiting, the highest of each agent in a group; one that fails to go out is sent again
 * with the agent's next batch.
 */
public final class MqttLink implements AutoCloseable {
  /** The gateway's MQTT client id; its persistent session lives in the broker under it. */
  public static final String CLIENT_ID = "sangfroid-gateway";

  private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
  private static final byte[] ONLINE = "{\"v\":1,\"state\":\"online\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OFFLINE = "{\"v\":1,\"state\":\"offline\"}".getBytes(StandardCharsets.UTF_8);
  private static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final long OPERATION_TIMEOUT_MS = 10_000;
  private static final int MAX_IN_FLIGHT = 1000;
  /** The most messages stored in one transaction. */
  static final int MAX_GROUP = 50;
  /** The ingest thread's name. */
  public static final String INGEST_THREAD = "sangfroid-ingest";
  /** Messages waiting for the ingest thread at most; beyond, Paho's reader waits (back-pressure). */
  private static final int QUEUE = 1000;
  private static final long INGEST_STOP_MS = 10_000;

  private final String url;
  private final Ingest ingest;
  private final MqttAsyncClient client;
  private final MqttConnectOptions options;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread connector;
  private final Thread ingester;
  private final BlockingQueue<Arrived> arrived = new ArrayBlockingQueue<>(QUEUE);
  /** Which connection a message came on: a PUBACK is only sent on the connection it belongs to. */
  private final AtomicInteger connection = new AtomicInteger();
  private final Counter publishFailures;
  private final Counter connects;
  private volatile boolean closing;

  /**
   * @param url {@code tcp://host:port} or {@code ssl://host:port}
   * @param username empty for anonymous access
   * @param password used only with a username
   */
  public MqttLink(String url, Optional<String> username, Optional<char[]> password, Ingest ingest,
      MeterRegistry meters) {
    this.url = url;
    this.ingest = ingest;
    try {
      this.client = new MqttAsyncClient(url, CLIENT_ID, new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException("broker url [" + url + "] must be tcp://host:port or ssl://host:port", e);
    }
    options = new MqttConnectOptions();
    options.setCleanSession(false);
    options.setAutomaticReconnect(false); // our loop reconnects, with backoff, and resubscribes
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setKeepAliveInterval(30);
    options.setConnectionTimeout(10);
    options.setMaxInflight(MAX_IN_FLIGHT);
    options.setSocketFactory(url.startsWith("ssl:")
        ? NoDelaySocketFactory.tls((SSLSocketFactory) SSLSocketFactory.getDefault()) : NoDelaySocketFactory.plain());
    options.setWill(Topics.gatewayState(), OFFLINE, 1, true);
    username.ifPresent(u -> {
      options.setUserName(u);
      password.ifPresent(options::setPassword);
    });
    client.setCallback(new Callback());
    // PUBACK after the commit, from the ingest thread (messageArrivedComplete).
    client.setManualAcks(true);
    connector = new Thread(this::connectLoop, "sangfroid-mqtt-connect");
    connector.setDaemon(true);
    ingester = new Thread(this::ingestLoop, INGEST_THREAD);
    ingester.setDaemon(true);
    publishFailures = Counter.builder("sangfroid.mqtt.publish.failed")
        .description("Acks and alarm events that could not be handed to the MQTT client").register(meters);
    connects = Counter.builder("sangfroid.mqtt.connects").description("Successful connections to the broker")
        .register(meters);
    Gauge.builder("sangfroid.mqtt.connected", this, l -> l.isConnected() ? 1 : 0)
        .description("1 while connected to the broker").register(meters);
  }

  /**
   * Starts connecting in the background and waits up to {@code wait} for the first connection.
   *
   * @return whether it is connected (if not, it keeps trying)
   */
  public boolean start(Duration wait) {
    ingester.start();
    connector.start();
    long deadline = System.nanoTime() + wait.toNanos();
    lock.lock();
    try {
      while (!client.isConnected()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
    return client.isConnected();
  }

  /** True while connected to the broker. */
  public boolean isConnected() {
    return client.isConnected();
  }

  /** Publishes alarm events (QoS 1, not retained, best effort). */
  public void publishAlarms(List<AlarmChange> changes) {
    for (AlarmChange c : changes) {
      publish(Topics.alarms(c.alarm().site(), c.alarm().unit()), AlarmEvents.encode(c), false);
    }
  }

  private void publish(String topic, byte[] payload, boolean retained) {
    try {
      client.publish(topic, payload, 1, retained);
    } catch (MqttException | RuntimeException e) {
      publishFailures.increment();
      LOG.warn("Could not publish to {}: {}", topic, e.toString());
    }
  }

  /** A message as Paho handed it over, already parsed and checked, and the connection it came on. */
  private record Arrived(Ingest.Step step, int id, int qos, int connection) {}

  /** Stores what arrived, group by group, then acks the agents and sends the PUBACKs. */
  private void ingestLoop() {
    List<Arrived> group = new ArrayList<>(MAX_GROUP);
    while (!closing) {
      try {
        Arrived first = arrived.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        arrived.drainTo(group, MAX_GROUP - 1);
        handle(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable t) { // the loop must outlive any bug: it is the gateway's only way in
        LOG.error("Ingest of {} messages failed", group.size(), t);
      } finally {
        // Stored or not (a bug above), each message gets its PUBACK, as an auto-acked one would.
        group.forEach(this::complete);
        group.clear();
      }
    }
  }

  private void handle(List<Arrived> group) {
    List<Ingest.Step> steps = new ArrayList<>(group.size());
    group.forEach(a -> steps.add(a.step()));
    List<IngestResult> results = ingest.acceptPrepared(steps);
    Map<String, IngestResult.Stored> acks = new LinkedHashMap<>();
    for (IngestResult r : results) {
      if (r instanceof IngestResult.Stored s) {
        acks.merge(Topics.agent(s.site(), s.agent(), Topics.Kind.ACK), s,
            (a, b) -> b.ack().upTo() >= a.ack().upTo() ? b : a);
        publishAlarms(s.alarms());
      }
    }
    acks.forEach((topic, s) -> publish(topic, WireCodec.encode(s.ack()), true));
  }

  /** Sends a message's PUBACK, unless its connection is gone (the broker then sends it again). */
  private void complete(Arrived a) {
    if (a.connection() != connection.get()) {
      return;
    }
    try {
      client.messageArrivedComplete(a.id(), a.qos());
    } catch (MqttException | RuntimeException e) {
      LOG.debug("PUBACK for message {} not sent: {}", a.id(), e.toString());
    }
  }

  private void connectLoop() {
    Duration backoff = MIN_BACKOFF;
    while (!closing) {
      if (!client.isConnected()) {
        try {
          connectOnce();
          backoff = MIN_BACKOFF;
          signal();
        } catch (MqttException | RuntimeException e) {
          Duration wait = jitter(backoff);
          LOG.warn("MQTT broker {} not reachable ({}); retrying in {} ms", url, e.getMessage(), wait.toMillis());
          await(wait);
          backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
          continue;
        }
      }
      await(Duration.ofSeconds(5)); // woken early by connectionLost or close
    }
  }

  private static Duration jitter(Duration d) {
    double f = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble(); // ±20 %: agents must not reconnect in step
    return Duration.ofMillis((long) (d.toMillis() * f));
  }

  private void connectOnce() throws MqttException {
    client.connect(options).waitForCompletion(OPERATION_TIMEOUT_MS);
    try {
      client.subscribe(
          new String[] {Topics.allAgents(Topics.Kind.READINGS), Topics.allAgents(Topics.Kind.STATUS),
              Topics.allAgents(Topics.Kind.EVENTS)},
          new int[] {1, 1, 1}).waitForCompletion(OPERATION_TIMEOUT_MS);
      client.publish(Topics.gatewayState(), ONLINE, 1, true);
    } catch (MqttException e) {
      try {
        client.disconnectForcibly(0, 1000, false);
      } catch (MqttException ignored) {
        // already disconnected
      }
      throw e;
    }
    connects.increment();
    LOG.info("Connected to MQTT broker {} as {}", url, CLIENT_ID);
  }

  private void await(Duration d) {
    lock.lock();
    try {
      if (!closing) {
        changed.await(d.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closing = true;
    } finally {
      lock.unlock();
    }
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Says offline on the gateway state topic, disconnects and stops reconnecting; bounded (a few
   * seconds at most).
   */
  @Override
  public void close() {
    closing = true;
    signal();
    try {
      connector.join(OPERATION_TIMEOUT_MS + 1000);
      // The group being stored is finished; what still waits is delivered again next session.
      ingester.join(INGEST_STOP_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (client.isConnected()) {
      try {
        client.publish(Topics.gatewayState(), OFFLINE, 1, true).waitForCompletion(2000);
        client.disconnect(1000).waitForCompletion(3000);
      } catch (MqttException e) {
        LOG.debug("MQTT disconnect was not clean: {}", e.toString());
      }
    }
    try {
      if (client.isConnected()) {
        client.disconnectForcibly(0, 1000, false);
      }
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("MQTT client close: {}", e.toString());
    }
  }

  private final class Callback implements MqttCallbackExtended {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      try {
        // Decoding here, on Paho's thread, runs beside the ingest thread's database work. Waits
        // while the ingest thread is QUEUE messages behind: the broker holds the rest. A message
        // dropped here while closing has no PUBACK, so the broker delivers it again.
        Arrived a = new Arrived(ingest.prepare(topic, message.getPayload()), message.getId(), message.getQos(),
            connection.get());
        while (!closing && !arrived.offer(a, 100, TimeUnit.MILLISECONDS)) {
          // the ingest thread is busy: wait for room
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Throwable t) { // an exception here would make Paho drop the connection
        LOG.error("Message on {} could not be queued", topic, t);
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      connection.incrementAndGet();
      LOG.warn("Lost the MQTT broker {}: {}", url, cause == null ? "disconnected" : cause.toString());
      signal();
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      signal();
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // acks and alarm events are best effort; nothing to do
    }
  }
}
