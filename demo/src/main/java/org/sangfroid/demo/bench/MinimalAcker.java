package org.sangfroid.demo.bench;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.sangfroid.core.wire.Ack;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;

/**
 * Stands in for the gateway where only the agent's own speed is measured: it acks every readings
 * batch at once, up to the batch's last seq, without storing or checking anything. It reads
 * the last seq from the payload's last {@code "seq":} field (readings are in seq order).
 */
final class MinimalAcker implements AutoCloseable {
  private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);

  private final MqttAsyncClient client;
  private final Clock clock;
  private final AtomicLong acked = new AtomicLong();

  private MinimalAcker(MqttAsyncClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  static MinimalAcker start(String url, Clock clock) throws MqttException {
    MqttAsyncClient client = Mqtt.connect(url, "bench-minimal-acker", true, 1000);
    MinimalAcker acker = new MinimalAcker(client, clock);
    client.setCallback(acker.new Callback());
    Mqtt.subscribe(client, Topics.allAgents(Topics.Kind.READINGS));
    return acker;
  }

  /** Batches acked so far. */
  long acked() {
    return acked.get();
  }

  /** The value of the last {@code "seq":} field of a readings payload, if there is one. */
  static Optional<Long> lastSeq(byte[] payload) {
    outer:
    for (int i = payload.length - SEQ.length; i >= 0; i--) {
      for (int j = 0; j < SEQ.length; j++) {
        if (payload[i + j] != SEQ[j]) {
          continue outer;
        }
      }
      long seq = 0;
      int k = i + SEQ.length;
      int digits = 0;
      while (k < payload.length && payload[k] >= '0' && payload[k] <= '9' && digits < 18) {
        seq = seq * 10 + (payload[k++] - '0');
        digits++;
      }
      return digits == 0 ? Optional.empty() : Optional.of(seq);
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    Mqtt.close(client);
  }

  private final class Callback implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      Optional<Topics.AgentTopic> at = Topics.parse(topic);
      Optional<Long> last = lastSeq(message.getPayload());
      if (at.isEmpty() || last.isEmpty()) {
        return;
      }
      try {
        client.publish(Topics.agent(at.get().site(), at.get().agent(), Topics.Kind.ACK),
            WireCodec.encode(new Ack(last.get(), clock.millis())), 1, true);
        acked.incrementAndGet();
      } catch (MqttException e) {
        // The agent resends after its ack timeout; the bench then takes longer, visibly.
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      // The drain then times out and says so.
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // acks are fire and forget
    }
  }
}
