package org.sangfroid.demo.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One bench's result table: measure, value, baseline, ratio, target, verdict. A value is the
 * median of the runs with half their range ("±4 %"); the ratio divides it by the baseline
 * measured in the same run. A missed target is a FAIL line, not an error: the bench measures.
 */
public final class Table {
  /** The outcome of one row. */
  public enum Verdict { PASS, FAIL, INFO, NA }

  /** How a figure is written. */
  public enum Format {
    /** Whole numbers with thousands separators: readings/s. */
    COUNT("%,.0f"),
    /** One decimal: MB, ms. */
    ONE("%,.1f"),
    /** Two decimals. */
    TWO("%,.2f"),
    /** Three decimals: fsyncs per tick, where a checkpoint every few hundred ticks shows. */
    THREE("%,.3f");

    private final String pattern;

    Format(String pattern) {
      this.pattern = pattern;
    }

    String format(double v) {
      return String.format(Locale.ROOT, pattern, v);
    }
  }

  /** A target the median must meet: {@code >= limit} or {@code <= limit}. */
  public record Target(double limit, boolean atLeast, Format format) {
    public static Target atLeast(double limit, Format format) {
      return new Target(limit, true, format);
    }

    public static Target atMost(double limit, Format format) {
      return new Target(limit, false, format);
    }

    boolean met(double value) {
      return atLeast ? value >= limit : value <= limit;
    }

    @Override
    public String toString() {
      return (atLeast ? ">= " : "<= ") + format.format(limit);
    }
  }

  /** What a measure is compared with: a label and its figures from the same run. */
  public record Baseline(String label, Stats stats) {}

  /** A printed row. */
  public record Row(String measure, String value, String baseline, String ratio, String target, Verdict verdict) {}

  private final String title;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public Table(String title) {
    this.title = title;
  }

  /** Adds a measured row; with a target its verdict is PASS or FAIL, without one INFO. */
  public Table add(String measure, Stats value, Format format, Optional<Baseline> baseline, Optional<Target> target) {
    return add(measure, value, format, baseline.stream().toList(), target);
  }

  /** Adds a measured row compared with several baselines (ratios in the same order). */
  public Table add(String measure, Stats value, Format format, List<Baseline> baselines, Optional<Target> target) {
    String base = baselines.isEmpty() ? "-" : String.join("; ", baselines.stream()
        .map(b -> b.label() + " " + figure(b.stats(), format)).toList());
    String ratio = baselines.isEmpty() ? "-" : String.join("; ", baselines.stream()
        .map(b -> b.stats().median() == 0 ? "-"
            : String.format(Locale.ROOT, "%.2fx", value.median() / b.stats().median())).toList());
    Verdict verdict = target.map(t -> t.met(value.median()) ? Verdict.PASS : Verdict.FAIL).orElse(Verdict.INFO);
    rows.add(new Row(measure, figure(value, format), base, ratio, target.map(Target::toString).orElse("-"), verdict));
    return this;
  }

  /** Adds a row that could not be measured, with why (e.g. {@code n/a: install strace}). */
  public Table unavailable(String measure, String why, Optional<Target> target) {
    rows.add(new Row(measure, why, "-", "-", target.map(Target::toString).orElse("-"), Verdict.NA));
    return this;
  }

  /** Adds a line printed under the table. */
  public Table note(String note) {
    notes.add(note);
    return this;
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /** The rows whose target was missed. */
  public List<Row> failed() {
    return rows.stream().filter(r -> r.verdict() == Verdict.FAIL).toList();
  }

  static String figure(Stats s, Format format) {
    String median = format.format(s.median());
    return s.runs() == 1 ? median : median + String.format(Locale.ROOT, " ±%.0f%%", s.spread() * 100);
  }

  /** Prints the table, its notes and a one-line verdict. */
  public void print(PrintStream out) {
    String[] header = {"measure", "value", "baseline (same run)", "ratio", "target", "verdict"};
    int[] width = new int[header.length];
    List<String[]> lines = new ArrayList<>();
    lines.add(header);
    for (Row r : rows) {
      lines.add(new String[] {r.measure(), r.value(), r.baseline(), r.ratio(), r.target(), r.verdict().name()});
    }
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    out.println(title);
    out.println();
    for (int l = 0; l < lines.size(); l++) {
      StringBuilder b = new StringBuilder("| ");
      for (int i = 0; i < header.length; i++) {
        b.append(pad(lines.get(l)[i], width[i])).append(" | ");
      }
      out.println(b.toString().stripTrailing());
      if (l == 0) {
        StringBuilder rule = new StringBuilder("|");
        for (int w : width) {
          rule.append("-".repeat(w + 2)).append('|');
        }
        out.println(rule);
      }
    }
    out.println();
    for (String n : notes) {
      out.println("- " + n);
    }
    long measured = rows.stream().filter(r -> r.verdict() == Verdict.PASS || r.verdict() == Verdict.FAIL).count();
    List<Row> failed = failed();
    long unavailable = rows.stream().filter(r -> r.verdict() == Verdict.NA).count();
    out.println();
    if (failed.isEmpty()) {
      out.println("VERDICT: all " + measured + " targets met" + (unavailable > 0 ? " (" + unavailable
          + " not measured)" : "") + ".");
    } else {
      out.println("VERDICT: " + failed.size() + " of " + measured + " targets MISSED: "
          + String.join("; ", failed.stream().map(r -> r.measure() + " = " + r.value() + ", target "
          + r.target()).toList()) + ".");
    }
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }
}
