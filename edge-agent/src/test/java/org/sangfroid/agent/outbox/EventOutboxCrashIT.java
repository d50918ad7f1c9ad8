package org.sangfroid.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.wire.AgentEvent;

/**
 * Events survive SIGKILL: a child process records events and is killed at random moments; every
 * event whose {@link EventOutbox#record} returned is in the outbox afterwards, numbered 1..n
 * without a gap or a repeat, and the alternation of open and closed is intact (issue 3).
 */
class EventOutboxCrashIT {
  private static final int KILLS = Integer.getInteger("sangfroid.crash.kills", 50) / 5;

  @TempDir Path dataDir;

  @Test
  void writerKilledWithSigkill_everyRecordedEventKept() throws Exception {
    long seed = Long.getLong("sangfroid.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    List<Long> confirmed = new ArrayList<>();
    for (int i = 0; i < KILLS; i++) {
      Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx32m", "-cp", System.getProperty("java.class.path"), EventWriterProcess.class.getName(),
          dataDir.toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
          StandardCharsets.UTF_8))) {
        int target = 1 + random.nextInt(40);
        for (int n = 0; n < target; n++) {
          String line = out.readLine();
          assertThat(line).as("run %d (seed %d): the writer stopped early", i, seed).isNotNull();
          confirmed.add(Long.parseLong(line.strip()));
        }
        writer.destroyForcibly();  // SIGKILL: no shutdown hook, no close
        assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();
      }
    }

    try (EventOutbox events = EventOutbox.open(dataDir)) {
      List<AgentEvent> stored = events.readAfter(0, 100_000);
      List<Long> seqs = stored.stream().map(AgentEvent::seq).toList();
      assertThat(seqs).as("seed %d", seed).containsAll(confirmed);
      assertThat(seqs).as("seed %d: 1..n, no gap, no repeat", seed)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
      for (int i = 0; i < stored.size(); i++) {
        assertThat(stored.get(i).active()).as("event %d alternates open/closed", i + 1).isEqualTo(i % 2 == 0);
      }
    }
  }
}
