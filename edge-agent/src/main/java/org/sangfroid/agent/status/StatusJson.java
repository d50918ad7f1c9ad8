package org.sangfroid.agent.status;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A {@link StatusReport} in JSON, as {@code GET /status} serves it: each record's components in
 * their declared order, absent values as {@code null} (the text Jackson databind made of the
 * records before). Written with jackson-core's streaming generator, which the agent loads anyway
 * for its MQTT payloads: databind would keep about 400 more classes and 8 MB resident from the
 * first answer on (docs/performance.md).
 */
final class StatusJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private StatusJson() {}

  /** The report, UTF-8. */
  static byte[] of(StatusReport r) {
    return write(g -> {
      g.writeStartObject();
      g.writeNumberField("v", r.v());
      g.writeStringField("site", r.site());
      g.writeStringField("agent", r.agent());
      g.writeStringField("version", r.version());
      g.writeStringField("startedAt", r.startedAt());
      g.writeStringField("at", r.at());
      outbox(g, r.outbox());
      StatusReport.Connection c = r.connection();
      g.writeObjectFieldStart("connection");
      g.writeStringField("broker", c.broker());
      g.writeBooleanField("connected", c.connected());
      g.writeStringField("problem", c.problem());
      g.writeEndObject();
      g.writeArrayFieldStart("probes");
      for (StatusReport.ProbeState p : r.probes()) {
        probe(g, p);
      }
      g.writeEndArray();
      StatusReport.LocalAlarm a = r.localAlarm();
      g.writeObjectFieldStart("localAlarm");
      g.writeBooleanField("sounding", a.sounding());
      g.writeBooleanField("muted", a.muted());
      g.writeArrayFieldStart("units");
      for (StatusReport.UnitAlarm u : a.units()) {
        g.writeStartObject();
        g.writeStringField("unit", u.unit());
        g.writeBooleanField("alarm", u.alarm());
        strings(g, "kinds", u.kinds());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  /** {@code {"error":"..."}}, UTF-8. */
  static byte[] error(String message) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("error", message);
      g.writeEndObject();
    });
  }

  private static void outbox(JsonGenerator g, StatusReport.OutboxState o) throws IOException {
    g.writeObjectFieldStart("outbox");
    g.writeStringField("file", o.file());
    g.writeNumberField("depth", o.depth());
    g.writeNumberField("maxReadings", o.maxReadings());
    g.writeStringField("oldestUnsent", o.oldestUnsent());
    number(g, "oldestUnsentAgeSeconds", o.oldestUnsentAgeSeconds());
    g.writeNumberField("dropped", o.dropped());
    g.writeNumberField("droppedFromExcursions", o.droppedFromExcursions());
    g.writeNumberField("lastSeq", o.lastSeq());
    g.writeNumberField("ackedUpTo", o.ackedUpTo());
    strings(g, "corruptFiles", o.corruptFiles());
    StatusReport.RecoveryState rec = o.recovery();
    if (rec == null) {
      g.writeNullField("recovery");
    } else {
      g.writeObjectFieldStart("recovery");
      g.writeStringField("kind", rec.kind());
      g.writeStringField("movedTo", rec.movedTo());
      g.writeStringField("problem", rec.problem());
      g.writeNumberField("continuedAfter", rec.continuedAfter());
      g.writeStringField("at", rec.at());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void probe(JsonGenerator g, StatusReport.ProbeState p) throws IOException {
    g.writeStartObject();
    g.writeStringField("unit", p.unit());
    g.writeStringField("sensor", p.sensor());
    g.writeStringField("type", p.type());
    g.writeStringField("quality", p.quality());
    if (p.celsius() == null) {
      g.writeNullField("celsius");
    } else {
      g.writeNumberField("celsius", p.celsius().doubleValue());
    }
    g.writeStringField("readAt", p.readAt());
    number(g, "readAgeSeconds", p.readAgeSeconds());
    g.writeStringField("lastValidAt", p.lastValidAt());
    g.writeNumberField("faults", p.faults());
    g.writeStringField("calibrationCertificate", p.calibrationCertificate());
    g.writeStringField("calibrationDue", p.calibrationDue());
    if (p.calibrationOverdue() == null) {
      g.writeNullField("calibrationOverdue");
    } else {
      g.writeBooleanField("calibrationOverdue", p.calibrationOverdue());
    }
    g.writeEndObject();
  }

  private static void number(JsonGenerator g, String field, Long value) throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, value.longValue());
    }
  }

  private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);  // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }
}
