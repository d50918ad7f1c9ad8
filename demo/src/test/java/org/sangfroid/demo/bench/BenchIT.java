package org.sangfroid.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Both benches end to end on small sizes: every measure is taken on real parts and reported, and
 * the agent keeps to one fsync per tick (issue 3) where strace is installed.
 */
class BenchIT {

  private record Run(int exit, String out) {}

  private static Run bench(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exit = BenchMain.commandLine(new BenchMain(new PrintStream(bytes, true, StandardCharsets.UTF_8))).execute(args);
    return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
  }

  /** The first number of the value column of the row whose measure starts with {@code measure}. */
  private static double value(String out, String measure) {
    String row = Arrays.stream(out.split("\n")).filter(l -> l.startsWith("| " + measure)).findFirst()
        .orElseThrow(() -> new AssertionError("no row [" + measure + "] in:\n" + out));
    return Double.parseDouble(row.split("\\|")[2].strip().split(" ")[0].replace(",", ""));
  }

  @Test
  void agent_smallBacklogAndShortWatch_reportsEveryMeasureAndOneFsyncPerTick(@TempDir Path dir) {
    Run run = bench("agent", "--readings", "5000", "--runs", "1", "--seconds", "6", "--trace-seconds", "6", "--dir",
        dir.toString());

    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("Command: ./sangfroid bench agent --readings 5000", "VERDICT:");
    assertThat(value(run.out(), "backlog drain, agent -> broker -> real gateway")).isPositive();
    assertThat(value(run.out(), "backlog drain, agent -> broker -> minimal acker")).isPositive();
    assertThat(value(run.out(), "agent RSS peak (VmHWM), -Xmx32m (MB)")).isBetween(10.0, 1000.0);
    if (AgentProcess.onPath("strace").isEmpty()) {
      assertThat(run.out()).contains("n/a: install strace");
      return;
    }
    Matcher m = Pattern.compile("in (\\d+) ticks: (\\d+) commits on the outbox's write-ahead log").matcher(run.out());
    assertThat(m.find()).as("the fsync note in:\n%s", run.out()).isTrue();
    long ticks = Long.parseLong(m.group(1));
    long commitSyncs = Long.parseLong(m.group(2));
    assertThat(ticks).isPositive();
    // The tick's commit only; the ack's delete rides on it (it was two per tick before).
    assertThat(commitSyncs).isLessThanOrEqualTo(ticks + 1);
    assertThat(value(run.out(), "fsyncs per tick for the tick's readings (its commit)"))
        .isLessThanOrEqualTo((ticks + 1.0) / ticks);
  }

  @Test
  void gateway_smallIngestAndFewAlarms_reportsEveryMeasure(@TempDir Path dir) {
    Run run = bench("gateway", "--readings", "4000", "--agents", "2", "--runs", "1", "--samples", "10",
        "--load", "1000", "--dir", dir.toString());

    assertThat(run.exit()).isZero();
    assertThat(value(run.out(), "ingest, 2 agents -> broker -> gateway")).isPositive();
    assertThat(run.out()).contains("raw broker ", "raw SQLite insert ", "same reading acked ", "VERDICT:");
    assertThat(value(run.out(), "alarm latency p99")).isPositive().isLessThan(10_000);
    assertThat(run.out()).doesNotContain("got no webhook");
  }

  @Test
  void noBench_printsUsageAndExits2() {
    assertThat(bench().exit()).isEqualTo(2);
  }
}
