package org.sangfroid.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.simulator.report.HtmlReport;
import org.sangfroid.simulator.report.JsonReport;
import org.sangfroid.simulator.report.RunReport;
import org.sangfroid.simulator.scenario.Scenario;
import org.sangfroid.simulator.scenario.ScenarioFile;

class ScenarioRunnerIT {
  @TempDir Path dir;

  @Test
  void doorLeftOpen_runs() {
    Scenario s = ScenarioFile.load(Path.of("scenarios/fridge-door-left-open.yaml"));
    RunReport r = new ScenarioRunner(SharedBroker.url(), System::nanoTime).run(s, "x", dir.resolve("run"),
        ScenarioRunner.Options.defaults());
    JsonReport.write(r, dir.resolve("r.json"));
    HtmlReport.write(r, Path.of("/tmp/simscratch/r.html"));
    System.err.println(JsonReport.tree(r).toPrettyString());
    assertThat(r.problems()).isEmpty();
  }
}
