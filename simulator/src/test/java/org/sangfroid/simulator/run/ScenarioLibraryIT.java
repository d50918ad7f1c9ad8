package org.sangfroid.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sangfroid.simulator.report.Matching;
import org.sangfroid.simulator.report.RunReport;
import org.sangfroid.simulator.scenario.Scenario;
import org.sangfroid.simulator.scenario.ScenarioFile;

/**
 * Issue 6, acceptance 1: every scenario of the library (simulator/scenarios) runs against a real
 * gateway on a virtual clock and raises exactly the alarms it expects, with every reading sent
 * stored. Alarms that need agent events (door, power, agitator) may be pending while the gateway
 * does not handle events; nothing else may. The reports are kept in target/scenario-reports.
 */
class ScenarioLibraryIT {
  static final Path LIBRARY = Path.of("scenarios");
  static final Path REPORTS = Path.of("target", "scenario-reports");

  static Stream<Path> library() throws IOException {
    try (Stream<Path> files = Files.list(LIBRARY)) {
      List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml).as("the library").isNotEmpty();
      return yaml.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("library")
  void scenario_runAgainstTheGateway_raisesExactlyTheExpectedAlarms(Path file) {
    Scenario scenario = ScenarioFile.load(file);
    RunReport report = ScenarioSession.runWithBroker(scenario, file, REPORTS, SharedBroker.url(),
        ScenarioRunner.Options.defaults(), System::nanoTime);

    StringWriter summary = new StringWriter();
    ScenarioSession.summary(report, ScenarioSession.files(file, REPORTS), new PrintWriter(summary));
    assertThat(report.problems()).as(summary.toString()).isEmpty();
    assertThat(report.matching().pending()).as(summary.toString())
        .allSatisfy(x -> assertThat(Matching.EVENT_KINDS).contains(x.kind()));
    assertThat(report.counts().stored()).as(summary.toString()).isEqualTo(report.counts().sent()).isPositive();
  }
}
