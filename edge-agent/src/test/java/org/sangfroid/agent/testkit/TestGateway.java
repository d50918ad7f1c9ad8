package org.sangfroid.agent.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
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
 * Plays the gateway for one agent: records the readings, events and statuses it publishes, and
 * publishes acks (retained, as the real gateway does). An ack carries both the readings' and
 * the events' watermark (docs/protocol.md, Ack): acking one keeps the other as last acked.
 */
public final class TestGateway implements AutoCloseable {
  private final String url;
  private final String site;
  private final String agent;
  private final MqttAsyncClient client;
  private final List<ReadingBatch> batches = new CopyOnWriteArrayList<>();
  private final List<Reading> readings = new CopyOnWriteArrayList<>();
  private final List<AgentStatus> statuses = new CopyOnWriteArrayList<>();
  private final List<String> invalid = new CopyOnWriteArrayList<>();
  private final List<EventBatch> eventBatches = new CopyOnWriteArrayList<>();
  private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
  private long ackedReadings;
  private long ackedEvents;

  /**
   * A message as it arrived, readings and events in one order.
   *
   * @param kind {@link Topics.Kind#READINGS} or {@link Topics.Kind#EVENTS}
   * @param firstSeq the first reading's or event's seq in it
   */
  public record Arrival(Topics.Kind kind, long firstSeq) {}

  private TestGateway(String url, String site, String agent) throws MqttException {
    this.url = url;
    this.site = site;
    this.agent = agent;
    this.client = new MqttAsyncClient(url, "test-gateway-" + site + "-" + agent, new MemoryPersistence());
    client.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        record(topic, message.getPayload());
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {}
    });
  }

  /** Connects to the broker at {@code url} and subscribes to the agent's readings and status. */
  public static TestGateway connect(String url, String site, String agent) {
    try {
      TestGateway g = new TestGateway(url, site, agent);
      g.reconnect();
      return g;
    } catch (MqttException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Connects again (after a broker restart) and subscribes again. */
  public void reconnect() {
    try {
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(true);
      o.setMaxInflight(100);
      client.connect(o).waitForCompletion(10_000);
      client.subscribe(new String[] {topic(Topics.Kind.READINGS), topic(Topics.Kind.STATUS),
              topic(Topics.Kind.EVENTS)}, new int[] {1, 1, 1})
          .waitForCompletion(10_000);
    } catch (MqttException e) {
      throw new IllegalStateException("test gateway cannot connect to " + url, e);
    }
  }

  private String topic(Topics.Kind kind) {
    return Topics.agent(site, agent, kind);
  }

  private void record(String topic, byte[] payload) {
    if (topic.equals(topic(Topics.Kind.READINGS))) {
      Decoded<ReadingBatch> d = WireCodec.decodeBatch(payload);
      if (d instanceof Decoded.Valid<ReadingBatch> v) {
        batches.add(v.value());
        readings.addAll(v.value().readings());
        arrivals.add(new Arrival(Topics.Kind.READINGS, v.value().firstSeq()));
      } else {
        invalid.add(((Decoded.Invalid<ReadingBatch>) d).reason());
      }
    } else if (topic.equals(topic(Topics.Kind.EVENTS))) {
      Decoded<EventBatch> d = WireCodec.decodeEvents(payload);
      if (d instanceof Decoded.Valid<EventBatch> v) {
        eventBatches.add(v.value());
        arrivals.add(new Arrival(Topics.Kind.EVENTS, v.value().events().get(0).seq()));
      } else {
        invalid.add(((Decoded.Invalid<EventBatch>) d).reason());
      }
    } else if (topic.equals(topic(Topics.Kind.STATUS)) && payload.length > 0) {
      Decoded<AgentStatus> d = WireCodec.decodeStatus(payload);
      if (d instanceof Decoded.Valid<AgentStatus> v) {
        statuses.add(v.value());
      } else {
        invalid.add(((Decoded.Invalid<AgentStatus>) d).reason());
      }
    }
  }

  /** Every batch received, in arrival order. */
  public List<ReadingBatch> batches() {
    return List.copyOf(batches);
  }

  /** Every reading received, in arrival order (resent ones again). */
  public List<Reading> readings() {
    return List.copyOf(readings);
  }

  /** The sequence numbers received, in arrival order. */
  public List<Long> seqs() {
    List<Long> out = new ArrayList<>();
    for (Reading r : readings) {
      out.add(r.seq());
    }
    return out;
  }

  /** Every status received, in arrival order (a retained one first). */
  public List<AgentStatus> statuses() {
    return List.copyOf(statuses);
  }

  /** Every event received, in arrival order (resent ones again). */
  public List<AgentEvent> events() {
    List<AgentEvent> out = new ArrayList<>();
    for (EventBatch b : eventBatches) {
      out.addAll(b.events());
    }
    return out;
  }

  /** Every reading batch and event batch, in the order they arrived. */
  public List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  /** Payloads that broke the wire contract. */
  public List<String> invalidPayloads() {
    return List.copyOf(invalid);
  }

  /** Says "stored readings up to {@code upTo}" (and events as last acked), retained. */
  public synchronized void ack(long upTo) {
    ackedReadings = upTo;
    publishAck(WireCodec.encode(new Ack(upTo, 0, ackedEvents)));
  }

  /** Says "stored events up to {@code upTo}" (and readings as last acked), retained. */
  public synchronized void ackEvents(long upTo) {
    ackedEvents = upTo;
    publishAck(WireCodec.encode(new Ack(ackedReadings, 0, upTo)));
  }

  /** Publishes {@code payload} as a retained ack, even if it is not one. */
  public void publishAck(byte[] payload) {
    try {
      client.publish(topic(Topics.Kind.ACK), payload, 1, true).waitForCompletion(10_000);
    } catch (MqttException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Clears this agent's retained messages and disconnects. */
  @Override
  public void close() throws MqttException {
    try {
      if (client.isConnected()) {
        client.publish(topic(Topics.Kind.ACK), new byte[0], 1, true).waitForCompletion(5_000);
        client.publish(topic(Topics.Kind.STATUS), new byte[0], 1, true).waitForCompletion(5_000);
        client.disconnect().waitForCompletion(5_000);
      }
    } finally {
      client.close(true);
    }
  }
}
