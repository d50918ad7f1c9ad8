package org.sangfroid.demo.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.sangfroid.core.wire.Topics;

/**
 * The raw-broker baseline's receiver: subscribed to every agent's readings as the gateway is
 * (QoS 1, persistent session, 1000 in flight), it only counts what arrives.
 */
final class CountingSubscriber implements AutoCloseable {
  private final MqttAsyncClient client;
  private final CountDownLatch all;

  private CountingSubscriber(MqttAsyncClient client, long expected) {
    this.client = client;
    this.all = new CountDownLatch((int) expected);
  }

  static CountingSubscriber start(String url, long expected) throws MqttException {
    MqttAsyncClient client = Mqtt.connect(url, "bench-subscriber", false, 1000);
    CountingSubscriber s = new CountingSubscriber(client, expected);
    client.setCallback(new MqttCallback() {
      @Override
      public void messageArrived(String topic, MqttMessage message) {
        s.all.countDown();
      }

      @Override
      public void connectionLost(Throwable cause) {
        // the wait then times out and says so
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {
        // a subscriber only
      }
    });
    Mqtt.subscribe(client, Topics.allAgents(Topics.Kind.READINGS));
    return s;
  }

  /** Waits until every expected message arrived. */
  void await(Duration timeout) throws InterruptedException {
    if (!all.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new BenchException("the subscriber still missed " + all.getCount() + " messages after "
          + timeout.toSeconds() + " s", null);
    }
  }

  @Override
  public void close() {
    Mqtt.close(client);
  }
}
