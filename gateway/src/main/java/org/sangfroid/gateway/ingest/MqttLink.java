package org.sangfroid.gateway.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
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
 * <p>Each message is handled synchronously in Paho's callback, so the broker's flow control
 * back-pressures agents while the database is busy; the PUBACK goes out only after the
 * transaction is committed. Nothing escapes the callback (an exception there would drop the
 * connection). Acks are published retained at QoS 1 without waiting, which is allowed inside
 * the callback; one that fails to go out is sent again with the agent's next batch.
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

  private final String url;
  private final Ingest ingest;
  private final MqttAsyncClient client;
  private final MqttConnectOptions options;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread connector;
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
    options.setSocketFactory(url.startsWith("ssl:") ? NoDelaySocketFactory.tls() : NoDelaySocketFactory.plain());
    options.setWill(Topics.gatewayState(), OFFLINE, 1, true);
    username.ifPresent(u -> {
      options.setUserName(u);
      password.ifPresent(options::setPassword);
    });
    client.setCallback(new Callback());
    connector = new Thread(this::connectLoop, "sangfroid-mqtt-connect");
    connector.setDaemon(true);
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
        IngestResult result = ingest.accept(topic, message.getPayload());
        if (result instanceof IngestResult.Stored s) {
          publish(Topics.agent(s.site(), s.agent(), Topics.Kind.ACK), WireCodec.encode(s.ack()), true);
          publishAlarms(s.alarms());
        }
      } catch (Throwable t) { // an exception here would make Paho drop the connection
        LOG.error("Message on {} could not be handled", topic, t);
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
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
