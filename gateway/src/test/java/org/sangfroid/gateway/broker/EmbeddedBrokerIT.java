package org.sangfroid.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerIT {
  @TempDir Path dir;

  @Test
  void broker_stoppedAndStartedOnSamePort_keepsRetainedMessages() throws Exception {
    int port;
    String topic = "sangfroid/v1/casa-01/agent-01/ack";
    try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0, dir)) {
      port = broker.port();
      assertThat(port).isPositive();
      assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:" + port);
      MqttClient client = new MqttClient(broker.url(), "it-publisher", new MemoryPersistence());
      client.connect(new MqttConnectOptions());
      client.publish(topic, "{\"v\":1,\"upTo\":7,\"t\":1}".getBytes(StandardCharsets.UTF_8), 1, true);
      client.disconnect();
      client.close();
    }
    try (EmbeddedBroker again = EmbeddedBroker.start("127.0.0.1", port, dir)) {
      assertThat(again.port()).isEqualTo(port);
      AtomicReference<String> got = new AtomicReference<>();
      MqttClient client = new MqttClient(again.url(), "it-subscriber", new MemoryPersistence());
      client.connect(new MqttConnectOptions());
      client.subscribe(topic, 1, (t, m) -> got.set(new String(m.getPayload(), StandardCharsets.UTF_8)));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(
          () -> assertThat(got.get()).isEqualTo("{\"v\":1,\"upTo\":7,\"t\":1}"));
      client.disconnect();
      client.close();
      assertThat(again.droppedMessages()).isZero();
    }
  }
}
