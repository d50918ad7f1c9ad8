package org.sangfroid.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.wire.Ack;
import org.sangfroid.core.wire.Decoded;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.core.wire.ReadingBatch;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;

/** Foundation acceptance 6, over the real broker: bad messages are counted, valid ones flow. */
class RejectionIT {
  private static final String TOPIC = Topics.agent(SiteConfigs.SITE, SiteConfigs.AGENT, Topics.Kind.READINGS);

  private static byte[] batch(String agent, long seq, String unit) {
    return WireCodec.encode(new ReadingBatch(SiteConfigs.SITE, agent,
        List.of(new Reading(seq, 1_763_900_000_000L + seq * 60_000, unit, SiteConfigs.FRIDGE_PROBE, 4.0, Quality.OK, true))));
  }

  @Test
  void badMessages_areRejectedAndCounted_whileValidOnesAreStoredAndAcked(@TempDir Path dir) throws Exception {
    try (TestSite site = new TestSite(dir, SiteConfigs.EMBEDDED_BROKER)) {
      site.startGateway();
      MqttClient client = new MqttClient(site.gateway.brokerUrl(), "test-" + SiteConfigs.AGENT, new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setCleanSession(true);
      client.connect(options);
      AtomicReference<Ack> ack = new AtomicReference<>();
      client.subscribe(Topics.agent(SiteConfigs.SITE, SiteConfigs.AGENT, Topics.Kind.ACK), 1, (t, m) -> {
        if (WireCodec.decodeAck(m.getPayload()) instanceof Decoded.Valid<Ack> v) {
          ack.set(v.value());
        }
      });

      client.publish(TOPIC, "{not json".getBytes(StandardCharsets.UTF_8), 1, false);
      client.publish(TOPIC, new String(batch(SiteConfigs.AGENT, 1, SiteConfigs.FRIDGE), StandardCharsets.UTF_8)
          .replace("\"v\":1", "\"v\":2").getBytes(StandardCharsets.UTF_8), 1, false);
      client.publish(Topics.agent(SiteConfigs.SITE, "agent-99", Topics.Kind.READINGS),
          batch("agent-99", 1, SiteConfigs.FRIDGE), 1, false);
      client.publish(TOPIC, batch("agent-02", 1, SiteConfigs.FRIDGE), 1, false);
      client.publish(TOPIC, batch(SiteConfigs.AGENT, 1, "no-such-unit"), 1, false);
      client.publish(TOPIC, batch(SiteConfigs.AGENT, 1, SiteConfigs.FRIDGE), 1, false);
      client.publish(TOPIC, batch(SiteConfigs.AGENT, 2, SiteConfigs.FRIDGE), 1, false);

      await().atMost(Duration.ofSeconds(20)).until(() -> ack.get() != null && ack.get().upTo() == 2);
      assertThat(site.api.readings(SiteConfigs.FRIDGE)).hasSize(2);
      String metrics = site.api.text("/metrics");
      for (String reason : List.of("malformed", "version", "unknown_agent", "identity", "unknown_unit")) {
        assertThat(metrics.lines().filter(l -> l.startsWith("sangfroid_ingest_rejected_total{")
            && l.contains("reason=\"" + reason + "\"")))
            .as(reason).singleElement().satisfies(l -> assertThat(l).endsWith(" 1.0"));
      }
      client.disconnect();
      client.close();
    }
  }
}
