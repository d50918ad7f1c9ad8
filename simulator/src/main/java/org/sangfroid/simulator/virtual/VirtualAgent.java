package org.sangfroid.simulator.virtual;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.net.NoDelaySocketFactory;
import org.sangfroid.core.wire.Ack;
import org.sangfroid.core.wire.AgentEvent;
import org.sangfroid.core.wire.AgentStatus;
import org.sangfroid.core.wire.Decoded;
import org.sangfroid.core.wire.EventBatch;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.core.wire.ReadingBatch;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;

/**
 * An edge agent without hardware, for scenarios and fleets: readings handed to it by the runner
 * get the agent's next sequence numbers and wait in its {@link Outbox} until the gateway's ack
 * covers them; {@link #flush} publishes what was never sent (events first, then readings in
 * batches, QoS 1), as the real agent drains its outbox; {@link #resend()} sends everything not
 * acknowledged again, as the real agent does when acks stop coming. It never reads a clock: the
 * runner stamps the readings and decides when the network is down.
 *
 * <p>Threads: the runner calls every method from one thread; Paho's callback thread only
 * records acks and wakes {@link #awaitAcked}.
 */
public final class VirtualAgent implements AutoCloseable {
  /** Paho's window of messages awaiting a PUBACK; readings wait for the gateway's ack anyway. */
  static final int MAX_IN_FLIGHT = 1000;
  private static final long OPERATION_TIMEOUT_MS = 10_000;
  /** Each agent's MQTT client id is this, its site, a dash and its id (Paho names its threads after it). */
  public static final String CLIENT_ID_PREFIX = "sangfroid-sim-";

  private final String site;
  private final String agent;
  private final int batchSize;
  private final Outbox outbox;
  private final MqttAsyncClient client;
  private final String readingsTopic;
  private final String eventsTopic;
  private final String ackTopic;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition acked = lock.newCondition();
  private final List<AgentEvent> events = new ArrayList<>();
  private long ackedUpTo;
  private long eventsAckedUpTo;
  private long appliedAck;
  private long sentUpTo;
  private long eventSeq;
  private long eventsSentUpTo;
  private long readingsSent;
  private long resends;

  /**
   * @param outboxCapacity readings the outbox holds at most
   * @param batchSize readings per message, 1 to {@link ReadingBatch#MAX_READINGS}
   */
  public VirtualAgent(String brokerUrl, String site, String agent, int outboxCapacity, int batchSize) {
    this.site = Checks.requireId("site", site);
    this.agent = Checks.requireId("agent", agent);
    Checks.require(batchSize >= 1 && batchSize <= ReadingBatch.MAX_READINGS, "batchSize", batchSize,
        "be from 1 to " + ReadingBatch.MAX_READINGS);
    this.batchSize = batchSize;
    this.outbox = new Outbox(outboxCapacity);
    this.readingsTopic = Topics.agent(site, agent, Topics.Kind.READINGS);
    this.eventsTopic = Topics.agent(site, agent, Topics.Kind.EVENTS);
    this.ackTopic = Topics.agent(site, agent, Topics.Kind.ACK);
    try {
      this.client = new MqttAsyncClient(brokerUrl, CLIENT_ID_PREFIX + site + "-" + agent, new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException(Checks.message("broker", brokerUrl, "be tcp://host:port"), e);
    }
    client.setCallback(new Callback());
  }

  /**
   * Connects (clean session), clears any ack retained from an earlier run of an agent of the same
   * name, subscribes to its ack, and says it is online.
   *
   * @param startedAt the agent's start, epoch ms (simulated), for its status
   * @throws MqttException if the broker cannot be reached or refuses
   */
  public void connect(long startedAt) throws MqttException {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setAutomaticReconnect(false);
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setKeepAliveInterval(60);
    o.setMaxInflight(MAX_IN_FLIGHT);
    o.setSocketFactory(NoDelaySocketFactory.plain());
    o.setWill(Topics.agent(site, agent, Topics.Kind.STATUS), WireCodec.encode(AgentStatus.lastWill()), 1, true);
    client.connect(o).waitForCompletion(OPERATION_TIMEOUT_MS);
    client.publish(ackTopic, new byte[0], 1, true).waitForCompletion(OPERATION_TIMEOUT_MS);
    client.subscribe(ackTopic, 1).waitForCompletion(OPERATION_TIMEOUT_MS);
    client.publish(Topics.agent(site, agent, Topics.Kind.STATUS),
        WireCodec.encode(new AgentStatus(true, "sangfroid-simulator", startedAt, 0)), 1, true);
  }

  /** Numbers and keeps one sampling tick's readings (the outbox may drop older ones); returns them. */
  public List<Reading> take(Collection<Measurement> tick) {
    applyAck();
    return outbox.add(tick);
  }

  /** Keeps an event (door, power, agitator) with the agent's next event sequence number. */
  public void event(long time, String unit, AgentEvent.Type type, boolean active, boolean clockSynced) {
    events.add(new AgentEvent(++eventSeq, time, unit, type, active, "", clockSynced));
  }

  /**
   * Publishes what was never sent: the events, then the readings in batches of {@code batchSize}.
   * Each new reading batch's bytes go to {@code sent} before they are published (resends do not),
   * for a digest that lets two runs be compared byte for byte; it must not keep or change them.
   *
   * @return true when something was published
   * @throws MqttException if the broker refuses or the connection is gone
   */
  public boolean flush(Consumer<byte[]> sent) throws MqttException {
    applyAck();
    boolean any = false;
    List<AgentEvent> unsent = events.stream().filter(e -> e.seq() > eventsSentUpTo).toList();
    for (int i = 0; i < unsent.size(); i += EventBatch.MAX_EVENTS) {
      List<AgentEvent> part = unsent.subList(i, Math.min(unsent.size(), i + EventBatch.MAX_EVENTS));
      publish(eventsTopic, WireCodec.encode(new EventBatch(site, agent, part)));
      eventsSentUpTo = part.get(part.size() - 1).seq();
      any = true;
    }
    while (true) {
      List<Reading> next = outbox.after(sentUpTo, batchSize);
      if (next.isEmpty()) {
        break;
      }
      byte[] payload = WireCodec.encode(outbox.batch(site, agent, next));
      sent.accept(payload);
      publish(readingsTopic, payload);
      sentUpTo = next.get(next.size() - 1).seq();
      readingsSent += next.size();
      any = true;
    }
    return any;
  }

  /** Sends again every reading the gateway has not acknowledged, as after an ack timeout. */
  public void resend() throws MqttException {
    applyAck();
    resends++;
    long from = appliedAck;
    while (from < sentUpTo) {
      List<Reading> next = outbox.after(from, batchSize);
      if (next.isEmpty()) {
        break;
      }
      publish(readingsTopic, WireCodec.encode(outbox.batch(site, agent, next)));
      from = next.get(next.size() - 1).seq();
    }
  }

  private void publish(String topic, byte[] payload) throws MqttException {
    MqttMessage message = new Uncopied(payload);
    while (true) {
      try {
        client.publish(topic, message);
        return;
      } catch (MqttException e) {
        if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
          throw e;
        }
        IMqttDeliveryToken[] pending = client.getPendingDeliveryTokens();
        if (pending.length > 0) {
          pending[0].waitForCompletion(OPERATION_TIMEOUT_MS); // Paho's window is full: wait for a PUBACK
        }
      }
    }
  }

  /**
   * Waits until the gateway has acknowledged every reading sent so far (and, with
   * {@code withEvents}, every event), or {@code timeout} has passed.
   *
   * @return whether everything sent is acknowledged
   */
  public boolean awaitAcked(Duration timeout, boolean withEvents) throws InterruptedException {
    return awaitAcked(sentUpTo, timeout, withEvents);
  }

  /**
   * Waits until the gateway has acknowledged the readings up to {@code upTo} (and, with
   * {@code withEvents}, every event sent so far), or {@code timeout} has passed: later batches
   * may still be on their way, as a real agent's are.
   *
   * @return whether they are acknowledged
   */
  public boolean awaitAcked(long upTo, Duration timeout, boolean withEvents) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (ackedUpTo < upTo || (withEvents && eventsAckedUpTo < eventsSentUpTo)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        acked.await(left, TimeUnit.NANOSECONDS);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the gateway has acknowledged every event sent so far. */
  public boolean eventsAcked() {
    lock.lock();
    try {
      return eventsAckedUpTo >= eventsSentUpTo;
    } finally {
      lock.unlock();
    }
  }

  /** Forgets events the gateway will never acknowledge (one that does not handle events yet). */
  public void forgetEvents() {
    events.removeIf(e -> e.seq() <= eventsSentUpTo);
  }

  private void applyAck() {
    long upTo;
    long eventsUpTo;
    lock.lock();
    try {
      upTo = ackedUpTo;
      eventsUpTo = eventsAckedUpTo;
    } finally {
      lock.unlock();
    }
    if (upTo > appliedAck) {
      outbox.ack(upTo);
      appliedAck = upTo;
    }
    events.removeIf(e -> e.seq() <= eventsUpTo);
  }

  /** The site id. */
  public String site() {
    return site;
  }

  /** The agent id. */
  public String agent() {
    return agent;
  }

  /** Readings taken so far (the last sequence number given). */
  public long taken() {
    return outbox.lastSeq();
  }

  /** The last sequence number published so far (0 before the first send). */
  public long sentUpTo() {
    return sentUpTo;
  }

  /** Readings published at least once. */
  public long sent() {
    return readingsSent;
  }

  /** Readings dropped by the full outbox. */
  public long dropped() {
    return outbox.dropped();
  }

  /** Readings waiting in the outbox for the gateway's ack. */
  public int depth() {
    applyAck();
    return outbox.depth();
  }

  /** Events kept so far. */
  public long eventsTaken() {
    return eventSeq;
  }

  /** How many times everything unacknowledged was sent again. */
  public long resends() {
    return resends;
  }

  /** The highest sequence number the gateway acknowledged. */
  public long ackedUpTo() {
    lock.lock();
    try {
      return ackedUpTo;
    } finally {
      lock.unlock();
    }
  }

  /** Disconnects; bounded. */
  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.publish(Topics.agent(site, agent, Topics.Kind.STATUS), WireCodec.encode(AgentStatus.lastWill()), 1,
            true).waitForCompletion(2000);
        client.disconnect(1000).waitForCompletion(3000);
      }
    } catch (MqttException e) {
      // closing anyway
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      // nothing more to do
    }
  }

  /**
   * A QoS 1 message whose payload Paho sends as given: {@link MqttMessage#setPayload} copies it,
   * and a fleet publishes megabytes a second of payloads nobody changes after encoding. Paho reads
   * the payload through {@link #getPayload} only (the fleet bench and the scenarios check that
   * the gateway stored every reading sent).
   */
  private static final class Uncopied extends MqttMessage {
    private final byte[] bytes;

    Uncopied(byte[] bytes) {
      this.bytes = bytes;
      setQos(1);
    }

    @Override
    public byte[] getPayload() {
      return bytes;
    }

    @Override
    public String toString() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private final class Callback implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      if (message.getPayload().length == 0) {
        return; // our own clearing of a retained ack
      }
      Decoded<Ack> decoded = WireCodec.decodeAck(message.getPayload());
      if (decoded instanceof Decoded.Valid<Ack> valid) {
        lock.lock();
        try {
          ackedUpTo = Math.max(ackedUpTo, valid.value().upTo());
          eventsAckedUpTo = Math.max(eventsAckedUpTo, valid.value().eventsUpTo());
          acked.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      lock.lock();
      try {
        acked.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // a PUBACK is not a reason to forget anything: only the gateway's ack is
    }
  }
}
