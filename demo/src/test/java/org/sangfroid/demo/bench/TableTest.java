package org.sangfroid.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sangfroid.demo.bench.Table.Baseline;
import org.sangfroid.demo.bench.Table.Format;
import org.sangfroid.demo.bench.Table.Target;
import org.sangfroid.demo.bench.Table.Verdict;

class TableTest {

  private static String print(Table t) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    t.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void add_targetMetOrMissed_isPassOrFailOnTheMedian() {
    Table t = new Table("t")
        .add("drain", Stats.of(List.of(90.0, 110.0, 120.0)), Format.COUNT, Optional.empty(),
            Optional.of(Target.atLeast(100, Format.COUNT)))
        .add("p99", Stats.once(60), Format.ONE, Optional.empty(), Optional.of(Target.atMost(50, Format.ONE)));

    assertThat(t.rows()).extracting(Table.Row::verdict).containsExactly(Verdict.PASS, Verdict.FAIL);
    assertThat(t.failed()).extracting(Table.Row::measure).containsExactly("p99");
  }

  @Test
  void add_baselines_showsEachWithItsRatio() {
    Table t = new Table("t").add("ingest", Stats.once(50_000), Format.COUNT,
        List.of(new Baseline("raw broker", Stats.once(200_000)), new Baseline("raw SQLite", Stats.once(100_000))),
        Optional.empty());

    Table.Row row = t.rows().get(0);
    assertThat(row.baseline()).isEqualTo("raw broker 200,000; raw SQLite 100,000");
    assertThat(row.ratio()).isEqualTo("0.25x; 0.50x");
    assertThat(row.verdict()).isEqualTo(Verdict.INFO);
  }

  @Test
  void print_markdownTableSpreadAndAVerdictNamingWhatWasMissed() {
    Table t = new Table("Edge agent")
        .add("drain (readings/s)", Stats.of(List.of(95.0, 105.0, 100.0)), Format.COUNT, Optional.empty(),
            Optional.of(Target.atLeast(1000, Format.COUNT)))
        .unavailable("fsyncs per tick", "n/a: install strace", Optional.of(Target.atMost(1, Format.TWO)))
        .note("a note");

    String text = print(t);

    assertThat(text).contains("| measure ", "|---", "| drain (readings/s) | 100 ±5% ", ">= 1,000", "FAIL",
        "| fsyncs per tick    | n/a: install strace |", "NA", "- a note");
    assertThat(text).contains("VERDICT: 1 of 1 targets MISSED: drain (readings/s) = 100 ±5%, target >= 1,000.");
  }

  @Test
  void print_allMet_saysSo() {
    Table t = new Table("t").add("x", Stats.once(1), Format.TWO, Optional.empty(),
        Optional.of(Target.atMost(1, Format.TWO)));

    assertThat(print(t)).contains("VERDICT: all 1 targets met.");
  }
}
