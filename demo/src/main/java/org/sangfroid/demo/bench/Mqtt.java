package org.sangfroid.demo.bench;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.sangfroid.core.net.NoDelaySocketFactory;

/** Paho clients set up as Sangfroid's own are: MQTT 3.1.1, TCP_NODELAY, memory persistence. */
final class Mqtt {
  private static final long WAIT_MS = 15_000;

  private Mqtt() {}

  /** A connected client. */
  static MqttAsyncClient connect(String url, String clientId, boolean cleanSession, int maxInflight)
      throws MqttException {
    MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(cleanSession);
    o.setAutomaticReconnect(false);
    o.setMaxInflight(maxInflight);
    o.setSocketFactory(NoDelaySocketFactory.plain());
    client.connect(o).waitForCompletion(WAIT_MS);
    return client;
  }

  /** Subscribes at QoS 1 and waits for the broker's answer. */
  static void subscribe(MqttAsyncClient client, String filter) throws MqttException {
    client.subscribe(filter, 1).waitForCompletion(WAIT_MS);
  }

  /** Disconnects and releases the client's threads; never throws. */
  static void close(MqttAsyncClient client) {
    if (client == null) {
      return;
    }
    try {
      if (client.isConnected()) {
        client.disconnect(1000).waitForCompletion(3000);
      }
    } catch (MqttException | RuntimeException e) {
      try {
        client.disconnectForcibly(0, 1000, false);
      } catch (MqttException | RuntimeException ignored) {
        // already gone
      }
    }
    try {
      client.close(true);
    } catch (MqttException | RuntimeException ignored) {
      // nothing left to release
    }
  }
}
