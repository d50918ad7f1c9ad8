package org.sangfroid.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.EdgeAgent;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.agent.outbox.BeyondRules;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.core.wire.Quality;

/**
 * Issue 3, acceptance 3: the agent's outbox fills while the broker is down; the documented drop
 * order holds, every reading not dropped reaches the real gateway, the gateway's ack reaches the
 * agent's last seq (the holes the drops left do not stop its watermark), and the gateway shows
 * the drop count.
 */
class OutboxFullIT {
  private static final int TICKS = 500;
  private static final int FIRST_EXCURSION_TICK = 10;
  private static final int LAST_EXCURSION_TICK = 19;

  /** Seq of unit {@code u} (0 fridge, 1 freezer, 2 incubator) in prefilled tick {@code t}. */
  private static long seq(int t, int u) {
    return 3L * t + u + 1;
  }

  @Test
  void outboxFullWhileBrokerDown_keptReadingsArrive_ackReachesLastSeq_gatewayShowsDropped(@TempDir Path dir)
      throws Exception {
    try (TestBroker broker = TestBroker.start(dir.resolve("broker"));
        TestSite site = new TestSite(dir.resolve("site"), SiteConfigs.externalBroker(broker.url()))) {
      site.startGateway();
      // One tick an hour: the agent samples once when it starts, so the test knows every drop.
      Path yaml = Demo.write(site.dir.resolve("agent.yaml"),
          SiteConfigs.agent(site.agentData, site.w1, broker.url(), Duration.ofHours(1))
              + "outbox:\n  maxReadings: 1000\n");
      AgentConfig config = AgentConfig.load(yaml);
      broker.stop();

      // 500 minutes of outage, written as the agent's sampler writes them; the fridge leaves its
      // range in ticks 10-19. Room for 1,000 readings: 500 are dropped, in-range ones only.
      long start = System.currentTimeMillis() - (TICKS + 10) * 60_000L;
      try (Outbox outbox = Outbox.open(config.dataDir(), config.outbox().maxReadings(),
          new BeyondRules(config.profiles()), Clock.systemUTC())) {
        for (int t = 0; t < TICKS; t++) {
          long time = start + t * 60_000L;
          boolean warm = t >= FIRST_EXCURSION_TICK && t <= LAST_EXCURSION_TICK;
          outbox.append(List.of(
              new Measurement(time, SiteConfigs.FRIDGE, SiteConfigs.FRIDGE_PROBE, warm ? 9.0 : 4.0, Quality.OK, true),
              new Measurement(time, SiteConfigs.FREEZER, SiteConfigs.FREEZER_PROBE, -30.0, Quality.OK, true),
              new Measurement(time, SiteConfigs.INCUBATOR, SiteConfigs.INCUBATOR_PROBE, 22.0, Quality.OK, true)));
        }
        assertThat(outbox.dropped()).isEqualTo(500);
      }

      EdgeAgent agent = EdgeAgent.start(config, Clock.systemUTC());
      try {
        // Its first tick (3 readings) drops 3 more, with the broker still down.
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.lastSeq() == 3L * TICKS + 3);
        assertThat(agent.droppedReadings()).isEqualTo(503);
        List<Long> kept = site.outbox().waiting();
        assertThat(kept).hasSize(1000);
        List<Long> period = new ArrayList<>();
        for (int t = FIRST_EXCURSION_TICK - 1; t <= LAST_EXCURSION_TICK + 1; t++) {
          period.add(seq(t, 0));
        }
        assertThat(kept).as("the fridge's excursion period, one tick either side, is kept whole")
            .containsAll(period)
            .doesNotContain(seq(FIRST_EXCURSION_TICK, 1), seq(FIRST_EXCURSION_TICK, 2));

        broker.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> agent.ackedUpTo() == 3L * TICKS + 3);
        assertThat(site.api.seqs(TestSite.UNITS)).as("every reading not dropped, once")
            .containsExactlyElementsOf(kept);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(metric(site,
            "sangfroid_agent_readings_dropped_total")).isEqualTo(503.0));
        assertThat(metric(site, "sangfroid_ingest_readings_missing_total"))
            .as("the gateway recorded each dropped seq as a gap").isEqualTo(503.0);
        assertThat(LongStream.rangeClosed(1, 3L * TICKS + 3).filter(s -> !kept.contains(s)).count())
            .isEqualTo(503);
      } finally {
        agent.close();
      }
    }
  }

  /** The value of {@code name} for this site's agent (or without tags) in the gateway's /metrics. */
  private static double metric(TestSite site, String name) {
    return site.api.text("/metrics").lines()
        .filter(l -> l.startsWith(name + " ") || (l.startsWith(name + "{")
            && (!l.contains("agent=\"") || l.contains("agent=\"" + SiteConfigs.AGENT + "\""))))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
