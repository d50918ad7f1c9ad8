package org.sangfroid.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent process killed with SIGKILL at random moments while it samples and publishes loses
 * no sampled reading and duplicates none (Foundation acceptance 4; issue 3 acceptance 2: 50
 * kills in the suite, 500 with {@code -Psoak}).
 */
class AgentCrashIT {
  /** Set by the build: 50 in the suite, 500 in the soak profile. */
  private static final int KILLS = Integer.getInteger("sangfroid.crash.kills", 50);

  @Test
  void agentKilledWithSigkillRepeatedly_losesNoReading_duplicatesNone(@TempDir Path dir) throws Exception {
    long seed = Long.getLong("sangfroid.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    try (TestSite site = new TestSite(dir, SiteConfigs.EMBEDDED_BROKER)) {
      site.startGateway();
      site.agentConfig(site.gateway.brokerUrl(), Clock.systemUTC());

      for (int i = 0; i < KILLS; i++) {
        Process agent = site.startAgentProcess();
        // Kill at a random moment while it samples and publishes: after 1 to 6 more stored
        // readings (3 probes a second), so some kills land mid-tick and some mid-batch.
        int target = site.stored() + 1 + random.nextInt(6);
        await().atMost(Duration.ofSeconds(60)).until(() -> site.stored() >= target || !agent.isAlive());
        assertThat(agent.isAlive()).as("agent run %d (seed %d), log: %s", i, seed, log(dir)).isTrue();
        TestSite.kill(agent);
      }

      // What the killed agents sampled, read from their outbox file.
      TestSite.OutboxFile outbox = site.outbox();
      assertThat(outbox.lastSeq()).as("readings were sampled").isGreaterThan(KILLS);

      // One more agent drains what is left; every sampled reading arrives exactly once.
      Process last = site.startAgentProcess();
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          List<Long> seqs = site.api.seqs(TestSite.UNITS);
          return seqs.containsAll(LongStream.rangeClosed(1, outbox.lastSeq()).boxed().toList());
        });
      } finally {
        TestSite.kill(last);
      }
      List<Long> stored = site.api.seqs(TestSite.UNITS);
      assertThat(stored).as("seed %d", seed).doesNotHaveDuplicates();
      assertThat(stored).as("seed %d: stored 1..n without a gap", seed)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, stored.size()).boxed().toList());
    }
  }

  private static String log(Path dir) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("agent-process.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (Exception e) {
      return "(no log: " + e + ")";
    }
  }
}
