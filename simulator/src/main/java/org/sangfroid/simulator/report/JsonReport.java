package org.sangfroid.simulator.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sangfroid.simulator.scenario.Durations;
import org.sangfroid.simulator.scenario.Scenario;

/**
 * The report as JSON, for tools and archives. Times are ISO-8601 UTC; durations are given both
 * as seconds and as text ({@code 6h10m}). Shape (see docs/tester.md):
 *
 * <pre>
 * {scenario: {name, description, source, seed, start, duration, step, tick},
 *  verdict: PASSED|FAILED|PENDING, exitCode, problems: [text],
 *  alarms: {matched: [{unit, kind, expectedStart, tolerance, startedAt, raisedAt, clearedAt, late,
 *                      startErrorSeconds, detectionDelaySeconds, detectionDelay}],
 *           missing: [{unit, kind, expectedStart, tolerance}], pending: [...],
 *           unexpected: [{unit, kind, startedAt, raisedAt, clearedAt, late}], ignored: [...]},
 *  readings: {taken, sent, stored, dropped, unsent, resends, sha256},
 *  events: {taken, acknowledged},
 *  run: {setupSeconds, wallSeconds, speedUp},
 *  units: [{id, name, kind, profile, readings, alarms}]}
 * </pre>
 */
public final class JsonReport {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  /** The report as a JSON tree. */
  public static ObjectNode tree(RunReport r) {
    Scenario s = r.scenario();
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode sc = root.putObject("scenario");
    sc.put("name", s.name());
    sc.put("description", s.description());
    sc.put("source", r.source());
    sc.put("seed", s.seed());
    sc.put("start", s.start().toString());
    sc.put("duration", Durations.human(s.duration()));
    sc.put("step", Durations.human(s.step()));
    sc.put("tick", Durations.human(s.tick()));
    root.put("verdict", r.verdict().name());
    root.put("exitCode", r.verdict().exitCode());
    ArrayNode problems = root.putArray("problems");
    r.problems().forEach(problems::add);

    ObjectNode alarms = root.putObject("alarms");
    ArrayNode matched = alarms.putArray("matched");
    for (Matching.Match m : r.matching().matched()) {
      ObjectNode n = expectation(matched.addObject(), m.expected());
      raised(n, m.raised());
      n.put("startErrorSeconds", m.startError().toSeconds());
      n.put("detectionDelaySeconds", m.detectionDelay().toSeconds());
      n.put("detectionDelay", Durations.human(m.detectionDelay()));
    }
    ArrayNode missing = alarms.putArray("missing");
    r.matching().missing().forEach(x -> expectation(missing.addObject(), x));
    ArrayNode pending = alarms.putArray("pending");
    r.matching().pending().forEach(x -> expectation(pending.addObject(), x));
    ArrayNode unexpected = alarms.putArray("unexpected");
    r.matching().unexpected().forEach(a -> raised(unexpected.addObject().put("unit", a.unit())
        .put("kind", a.kind().name()), a));
    ArrayNode ignored = alarms.putArray("ignored");
    r.matching().ignored().forEach(a -> raised(ignored.addObject().put("unit", a.unit())
        .put("kind", a.kind().name()), a));

    RunReport.Counts c = r.counts();
    root.putObject("readings").put("taken", c.taken()).put("sent", c.sent()).put("stored", c.stored())
        .put("dropped", c.dropped()).put("unsent", c.unsent()).put("resends", c.resends())
        .put("sha256", r.readingsSha256());
    root.putObject("events").put("taken", c.events()).put("acknowledged", r.eventsAcknowledged());
    root.putObject("run").put("setupSeconds", r.setupTime().toMillis() / 1000.0)
        .put("wallSeconds", r.wallTime().toMillis() / 1000.0)
        .put("speedUp", Math.round(r.speedUp()));
    ArrayNode units = root.putArray("units");
    for (RunReport.UnitTrace u : r.units()) {
      units.addObject().put("id", u.id()).put("name", u.name()).put("kind", u.kind()).put("profile", u.profile())
          .put("readings", u.readings().size()).put("alarms", u.alarms().size());
    }
    return root;
  }

  private static ObjectNode expectation(ObjectNode n, Scenario.Expectation x) {
    return n.put("unit", x.unit()).put("kind", x.kind().name()).put("expectedStart", Durations.human(x.start()))
        .put("tolerance", Durations.human(x.tolerance()));
  }

  private static ObjectNode raised(ObjectNode n, RaisedAlarm a) {
    n.put("startedAt", a.startedAt().toString());
    n.put("raisedAt", a.raisedAt().toString());
    if (a.clearedAt().isPresent()) {
      n.put("clearedAt", a.clearedAt().get().toString());
    } else {
      n.putNull("clearedAt");
    }
    if (a.peak().isPresent()) {
      n.put("peak", a.peak().getAsDouble());
    }
    return n.put("late", a.late());
  }

  /** Writes the report to {@code file}. */
  public static void write(RunReport r, Path file) {
    try {
      Files.write(file, MAPPER.writeValueAsBytes(tree(r)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report " + file, e);
    }
  }
}
