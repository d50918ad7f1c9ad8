package org.sangfroid.simulator.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.sangfroid.gateway.broker.EmbeddedBroker;
import org.sangfroid.simulator.report.HtmlReport;
import org.sangfroid.simulator.report.JsonReport;
import org.sangfroid.simulator.report.Matching;
import org.sangfroid.simulator.report.RaisedAlarm;
import org.sangfroid.simulator.report.RunReport;
import org.sangfroid.simulator.scenario.Durations;
import org.sangfroid.simulator.scenario.Scenario;

/**
 * {@code simulator run SCENARIO}: starts an MQTT broker and a gateway for the scenario in
 * {@code out/NAME.run/}, runs it, and writes {@code out/NAME.report.json} and
 * {@code out/NAME.report.html} (NAME: the scenario file's name without {@code .yaml}).
 */
public final class ScenarioSession {
  /** The first line of the gateway configuration a run writes: a folder holding it is ours to replace. */
  static final String MARK = "# Written by the Sangfroid simulator";

  private ScenarioSession() {}

  /** Where a run of a scenario file writes, inside {@code out}: its folder and its two reports. */
  public record Outputs(Path work, Path json, Path html) {}

  /** The files of a run of {@code scenarioFile} in {@code out}. */
  public static Outputs files(Path scenarioFile, Path out) {
    String name = scenarioFile.getFileName().toString().replaceFirst("\\.(yaml|yml)$", "");
    return new Outputs(out.resolve(name + ".run"), out.resolve(name + ".report.json"),
        out.resolve(name + ".report.html"));
  }

  /**
   * Runs {@code scenario} read from {@code scenarioFile}, writing in {@code out}.
   *
   * @throws RunException when the run cannot be carried out
   */
  public static RunReport run(Scenario scenario, Path scenarioFile, Path out, ScenarioRunner.Options options,
      LongSupplier nanoTime) {
    Outputs f = prepare(scenarioFile, out);
    try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0, f.work().resolve("broker"))) {
      return finish(new ScenarioRunner(broker.url(), nanoTime).run(scenario, scenarioFile.toString(), f.work(), options),
          f);
    }
  }

  /** As {@link #run}, against a running broker (one shared by many runs, as in the library's test). */
  public static RunReport runWithBroker(Scenario scenario, Path scenarioFile, Path out, String brokerUrl,
      ScenarioRunner.Options options, LongSupplier nanoTime) {
    Outputs f = prepare(scenarioFile, out);
    return finish(new ScenarioRunner(brokerUrl, nanoTime).run(scenario, scenarioFile.toString(), f.work(), options), f);
  }

  private static RunReport finish(RunReport report, Outputs f) {
    JsonReport.write(report, f.json());
    HtmlReport.write(report, f.html());
    return report;
  }

  private static Outputs prepare(Path scenarioFile, Path out) {
    Outputs f = files(scenarioFile, out);
    try {
      Files.createDirectories(out);
      clear(f.work());
      Files.createDirectories(f.work());
    } catch (IOException e) {
      throw new RunException("Cannot prepare " + f.work() + ": " + e.getMessage(), e);
    }
    return f;
  }

  /** Removes an earlier run's folder, only if a run wrote it. */
  private static void clear(Path work) throws IOException {
    if (!Files.exists(work)) {
      return;
    }
    Path yaml = work.resolve("gateway.yaml");
    boolean ours = Files.isRegularFile(yaml)
        && Files.readString(yaml, StandardCharsets.UTF_8).startsWith(MARK);
    if (!ours) {
      throw new RunException(work + " exists and was not written by a simulator run: move it away or use --out.");
    }
    Files.walkFileTree(work, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** The report's summary for a terminal. */
  public static void summary(RunReport r, Outputs files, PrintWriter out) {
    Scenario s = r.scenario();
    out.printf(Locale.ROOT, "%s: %s (exit code %d)%n", s.name(), r.verdict(), r.verdict().exitCode());
    out.printf(Locale.ROOT, "  %s simulated in %.1f s (%,.0f× real time; %.1f s more to start), seed %d%n",
        Durations.human(s.duration()), r.wallTime().toMillis() / 1000.0, r.speedUp(), r.setupTime().toMillis() / 1000.0,
        s.seed());
    RunReport.Counts c = r.counts();
    out.printf(Locale.ROOT, "  Readings: %,d taken, %,d sent, %,d stored%s%s%n", c.taken(), c.sent(), c.stored(),
        c.dropped() > 0 ? String.format(Locale.ROOT, ", %,d dropped by a full outbox", c.dropped()) : "",
        c.unsent() > 0 ? String.format(Locale.ROOT, ", %,d never sent (network down at the end)", c.unsent()) : "");
    Matching m = r.matching();
    out.printf(Locale.ROOT, "  Alarms: %d matched, %d missing, %d unexpected%s%s%n", m.matched().size(),
        m.missing().size(), m.unexpected().size(),
        m.pending().isEmpty() ? "" : ", " + m.pending().size() + " pending (the gateway does not handle agent events)",
        m.ignored().isEmpty() ? "" : ", " + m.ignored().size() + " ignored");
    for (Matching.Match x : m.matched()) {
      out.printf(Locale.ROOT, "    matched     %s on %s: started +%s (expected +%s ±%s), raised +%s, detection delay"
          + " %s%n", x.expected().kind(), x.expected().unit(), RunReport.since(s.start(), x.raised().startedAt()),
          Durations.human(x.expected().start()), Durations.human(x.expected().tolerance()),
          RunReport.since(s.start(), x.raised().raisedAt()), Durations.human(x.detectionDelay()));
    }
    for (Scenario.Expectation x : m.missing()) {
      out.printf(Locale.ROOT, "    MISSING     %s on %s, expected to start at +%s ±%s%n", x.kind(), x.unit(),
          Durations.human(x.start()), Durations.human(x.tolerance()));
    }
    for (Scenario.Expectation x : m.pending()) {
      out.printf(Locale.ROOT, "    pending     %s on %s, expected at +%s%n", x.kind(), x.unit(),
          Durations.human(x.start()));
    }
    for (RaisedAlarm a : m.unexpected()) {
      out.printf(Locale.ROOT, "    UNEXPECTED  %s on %s: started +%s, raised +%s%n", a.kind(), a.unit(),
          RunReport.since(s.start(), a.startedAt()), RunReport.since(s.start(), a.raisedAt()));
    }
    List<String> problems = r.problems().stream().filter(p -> p.startsWith("Readings")).toList();
    problems.forEach(p -> out.println("  " + p));
    out.println("  Report: " + files.html() + " (and " + files.json().getFileName() + ")");
    out.flush();
  }
}
