package org.sangfroid.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sangfroid.gateway.Fixtures.AGENT;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.SITE;
import static org.sangfroid.gateway.Fixtures.T0;
import static org.sangfroid.gateway.Fixtures.readingsTopic;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.wire.Ack;
import org.sangfroid.core.wire.Decoded;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.core.wire.ReadingBatch;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.GatewayApp;
import org.sangfroid.gateway.MutableClock;

/** The gateway's MQTT link with its embedded broker and SQLite file: what an agent sees. */
class MqttLinkIT {
  private static final int BATCHES = 40;
  private static final int PER_BATCH = 50;

  @TempDir Path dir;

  @Test
  void batchesPublishedAtOnce_everyAckCoversOnlyReadingsAnotherConnectionAlreadySees() throws Exception {
    // An ack lets the agent delete readings from its outbox: it must never precede the commit.
    // Another connection sees only committed rows, so it is checked as each ack arrives.
    List<String> early = new CopyOnWriteArrayList<>();
    List<Long> acked = new CopyOnWriteArrayList<>();
    try (GatewayApp app = GatewayApp.start(Fixtures.config(dir), new MutableClock(T0));
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data").resolve(GatewayApp.DATABASE));
        PreparedStatement count = other.prepareStatement(
            "SELECT count(*) FROM readings WHERE site = ? AND agent = ? AND seq <= ?")) {
      MqttClient agent = new MqttClient(app.brokerUrl(), "agent-01", new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setMaxInflight(BATCHES);
      agent.connect(options);
      agent.subscribe(Topics.agent(SITE, AGENT, Topics.Kind.ACK), 1, (t, m) -> {
        long upTo = ((Decoded.Valid<Ack>) WireCodec.decodeAck(m.getPayload())).value().upTo();
        count.setString(1, SITE);
        count.setString(2, AGENT);
        count.setLong(3, upTo);
        try (ResultSet rs = count.executeQuery()) {
          rs.next();
          if (rs.getLong(1) != upTo) {
            early.add("ack up to " + upTo + " while " + rs.getLong(1) + " readings were committed");
          }
        }
        acked.add(upTo);
      });

      for (int b = 0; b < BATCHES; b++) {
        List<Reading> readings = new ArrayList<>();
        for (int i = 1; i <= PER_BATCH; i++) {
          long seq = (long) b * PER_BATCH + i;
          readings.add(Fixtures.reading(seq, seq / 60.0, FRIDGE, 4.0));
        }
        agent.publish(readingsTopic(), WireCodec.encode(new ReadingBatch(SITE, AGENT, readings)), 1, false);
      }

      await().atMost(Duration.ofSeconds(30)).until(() -> acked.contains((long) BATCHES * PER_BATCH));
      agent.disconnect();
      agent.close();
    }
    assertThat(early).isEmpty();
  }
}
