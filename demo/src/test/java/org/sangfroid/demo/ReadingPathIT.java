package org.sangfroid.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.demo.GatewayApi.StoredReading;

/** Foundation acceptance 2 and 3: readings travel from the probe to the API, exactly once. */
class ReadingPathIT {

  @Test
  void readings_travelFromProbeToApi_withTheirMeasurementTimes(@TempDir Path dir) {
    // The agent's clock runs three days behind, so a measurement time cannot be mistaken
    // for the time the gateway received it.
    Clock agentClock = Clock.offset(Clock.systemUTC(), Duration.ofDays(-3));
    try (TestSite site = new TestSite(dir, SiteConfigs.EMBEDDED_BROKER)) {
      site.startGateway();
      Instant before = agentClock.instant();
      site.agentConfig(site.gateway.brokerUrl(), agentClock);
      site.startAgent(agentClock);

      await().atMost(Duration.ofSeconds(30)).until(() -> site.api.readings(SiteConfigs.FRIDGE).size() >= 3);
      Instant after = agentClock.instant();

      List<StoredReading> fridge = site.api.readings(SiteConfigs.FRIDGE);
      assertThat(fridge).allSatisfy(r -> {
        assertThat(r.time()).isBetween(before.minusSeconds(1), after);
        assertThat(r.sensor()).isEqualTo(SiteConfigs.FRIDGE_PROBE);
        assertThat(r.quality()).isEqualTo("ok");
        assertThat(r.value()).as("a closed blood fridge").isBetween(2.0, 6.0);
      });
      assertThat(fridge).extracting(StoredReading::time).isSorted();
      assertThat(site.api.readings(SiteConfigs.FREEZER)).isNotEmpty()
          .allSatisfy(r -> assertThat(r.value()).isLessThan(-25.0));
      assertThat(site.api.unit(SiteConfigs.FRIDGE).path("lastReading").path("value").asDouble()).isBetween(2.0, 6.0);
    }
  }

  @Test
  void brokerStoppedAndGatewayRestarted_everySampledReadingStoredExactlyOnce(@TempDir Path dir) {
    try (TestBroker broker = TestBroker.start(dir.resolve("broker"));
        TestSite site = new TestSite(dir.resolve("site"), SiteConfigs.externalBroker(broker.url()))) {
      site.startGateway();
      site.agentConfig(broker.url(), Clock.systemUTC());
      site.startAgent(Clock.systemUTC());
      await().atMost(Duration.ofSeconds(30)).until(() -> site.stored() >= 6);

      // The broker goes away: the agent keeps sampling into its outbox.
      broker.stop();
      long waitingBefore = site.agent.outboxDepth();
      await().atMost(Duration.ofSeconds(30)).until(() -> site.agent.outboxDepth() >= waitingBefore + 6);
      broker.start();
      int storedAfterBroker = site.stored();
      await().atMost(Duration.ofSeconds(60)).until(() -> site.stored() >= storedAfterBroker + 12);

      // The gateway goes away (the broker stays): the agent keeps sampling, then catches up.
      site.stopGateway();
      long depth = site.agent.outboxDepth();
      await().atMost(Duration.ofSeconds(30)).until(() -> site.agent.outboxDepth() >= depth + 6);
      site.startGateway();
      long ackedBeforeStop = site.agent.ackedUpTo();
      await().atMost(Duration.ofSeconds(60)).until(() -> site.agent.ackedUpTo() >= ackedBeforeStop + 12);
      site.stopAgent();

      // Every reading the agent ever sampled is stored at the gateway or still in the outbox.
      TestSite.OutboxFile outbox = site.outbox();
      List<Long> stored = site.api.seqs(TestSite.UNITS);
      assertThat(stored).as("no duplicates").doesNotHaveDuplicates();
      long acked = stored.isEmpty() ? 0 : stored.get(stored.size() - 1);
      assertThat(stored).as("stored: 1..%d without a gap", acked)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, acked).boxed().toList());
      assertThat(outbox.waiting()).as("the rest still waits in the outbox")
          .containsExactlyElementsOf(LongStream.rangeClosed(acked + 1, outbox.lastSeq()).boxed().toList());

      // A restarted agent delivers what was left.
      site.startAgent(Clock.systemUTC());
      await().atMost(Duration.ofSeconds(30)).until(() -> site.agent.ackedUpTo() >= outbox.lastSeq());
      List<Long> finalSeqs = site.api.seqs(TestSite.UNITS);
      assertThat(finalSeqs).doesNotHaveDuplicates().startsWith(1L)
          .containsAll(LongStream.rangeClosed(1, outbox.lastSeq()).boxed().toList());
    }
  }
}
