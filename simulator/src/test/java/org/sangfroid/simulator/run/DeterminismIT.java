package org.sangfroid.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.simulator.report.RunReport;
import org.sangfroid.simulator.scenario.Scenario;
import org.sangfroid.simulator.scenario.ScenarioFile;

/**
 * Issue 6, acceptance 3: the same scenario and seed give byte-identical reading batches (their
 * SHA-256, as first published, covers backlogs, gaps and unsynchronised clocks); another seed
 * gives others.
 */
class DeterminismIT {
  private static final Scenario SCENARIO = ScenarioFile.load(Path.of("src/test/resources/scenarios/determinism.yaml"));

  @TempDir Path dir;

  private RunReport run(Scenario s, String folder) {
    return new ScenarioRunner(SharedBroker.url(), System::nanoTime).run(s, "", dir.resolve(folder),
        ScenarioRunner.Options.defaults().withTraces(false));
  }

  @Test
  void run_sameSeedTwice_sameReadingsByteForByte_anotherSeedOthers() {
    RunReport first = run(SCENARIO, "first");
    RunReport second = run(SCENARIO, "second");
    RunReport other = run(SCENARIO.withSeed(4321), "other");

    assertThat(first.counts().dropped()).as("the outbox dropped readings").isPositive();
    assertThat(first.counts().stored()).isEqualTo(first.counts().sent());
    assertThat(second.readingsSha256()).isEqualTo(first.readingsSha256());
    assertThat(second.counts()).isEqualTo(first.counts());
    assertThat(other.readingsSha256()).isNotEqualTo(first.readingsSha256());
  }

  @Test
  void run_withoutDigest_reportsNoDigest_sameReadings() {
    RunReport r = new ScenarioRunner(SharedBroker.url(), System::nanoTime).run(SCENARIO, "", dir.resolve("bench"),
        ScenarioRunner.Options.defaults().withTraces(false).withDigest(false));

    assertThat(r.readingsSha256()).as("as the fleet bench runs").isEmpty();
    assertThat(r.counts().stored()).isEqualTo(r.counts().sent()).isPositive();
  }
}
