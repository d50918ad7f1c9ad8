package org.sangfroid.agent.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters and gauges of a registry in the Prometheus text exposition format, version 0.0.4,
 * written as Micrometer's Prometheus registry writes them: the same names (snake case, the base
 * unit appended, {@code _total} on counters), HELP and TYPE lines, labels and values, in the same
 * order (families by name, series by labels). The agent's own writer instead of
 * micrometer-registry-prometheus and its six Prometheus client jars: about 80 classes and 1.2 MB
 * of resident memory fewer in every agent (docs/performance.md). The agent registers counters,
 * function counters and gauges only; a meter of another type is left out and logged once.
 * Thread-safe; reads each meter on the calling thread.
 */
public final class PrometheusText {
  private static final Logger log = LoggerFactory.getLogger(PrometheusText.class);
  /** Suffixes Prometheus gives a meaning to: dropped from a meter's name, as Micrometer does. */
  private static final List<String> RESERVED_SUFFIXES = List.of("_total", "_created", "_bucket", "_info");
  private static final Set<Meter.Id> skipped = ConcurrentHashMap.newKeySet();

  private PrometheusText() {}

  private record Series(List<Tag> labels, double value) {}

  private record Family(String type, String help, List<Series> series) {}

  /** The registry's meters, read now, as a scrape's body. */
  public static String scrape(MeterRegistry meters) {
    Map<String, Family> families = new TreeMap<>();
    for (Meter meter : meters.getMeters()) {
      Meter.Id id = meter.getId();
      String type;
      double value;
      if (meter instanceof Counter c) {
        type = "counter";
        value = c.count();
      } else if (meter instanceof FunctionCounter c) {
        type = "counter";
        value = c.count();
      } else if (meter instanceof Gauge g) {
        type = "gauge";
        value = g.value();
      } else {
        if (skipped.add(id)) {
          log.warn("Meter {} ({}) is not served on /metrics: only counters and gauges are", id.getName(),
              id.getType());
        }
        continue;
      }
      String name = name(id.getName(), id.getBaseUnit()) + (type.equals("counter") ? "_total" : "");
      families.computeIfAbsent(name, n -> new Family(type, id.getDescription() == null ? " " : id.getDescription(),
              new ArrayList<>()))
          .series().add(new Series(labels(id), value));
    }
    StringBuilder out = new StringBuilder(families.size() * 256);
    families.forEach((name, family) -> {
      out.append("# HELP ").append(name).append(' ');
      escape(out, family.help(), false);
      out.append("\n# TYPE ").append(name).append(' ').append(family.type()).append('\n');
      family.series().sort(BY_LABELS);
      for (Series s : family.series()) {
        out.append(name);
        if (!s.labels().isEmpty()) {
          out.append('{');
          for (int i = 0; i < s.labels().size(); i++) {
            Tag t = s.labels().get(i);
            out.append(i == 0 ? "" : ",").append(t.getKey()).append("=\"");
            escape(out, t.getValue(), true);
            out.append('"');
          }
          out.append('}');
        }
        out.append(' ').append(number(s.value())).append('\n');
      }
    });
    return out.toString();
  }

  /**
   * {@code sangfroid.agent.outbox.oldest.age} in seconds: {@code sangfroid_agent_outbox_oldest_age_seconds}
   * (without the {@code _total} of a counter).
   */
  static String name(String meterName, String baseUnit) {
    String name = sanitize(meterName, true);
    if (baseUnit != null && !name.endsWith("_" + baseUnit)) {
      name += "_" + baseUnit;
    }
    name = sanitize(name, true);
    for (boolean stripped = true; stripped; ) {
      if (RESERVED_SUFFIXES.contains(name)) {
        return name.substring(1);
      }
      stripped = false;
      for (String suffix : RESERVED_SUFFIXES) {
        if (name.endsWith(suffix)) {
          name = name.substring(0, name.length() - suffix.length());
          stripped = true;
          break;
        }
      }
    }
    return name;
  }

  /** The meter's tags as labels, sorted by name (Micrometer keeps tags sorted by key). */
  private static List<Tag> labels(Meter.Id id) {
    List<Tag> labels = new ArrayList<>();
    for (Tag t : id.getTagsAsIterable()) {
      labels.add(Tag.of(sanitize(t.getKey(), false), t.getValue()));
    }
    labels.sort(Comparator.comparing(Tag::getKey));
    return labels;
  }

  private static final Comparator<Series> BY_LABELS = (a, b) -> {
    int n = Math.min(a.labels().size(), b.labels().size());
    for (int i = 0; i < n; i++) {
      int c = a.labels().get(i).getKey().compareTo(b.labels().get(i).getKey());
      if (c != 0) {
        return c;
      }
    }
    for (int i = 0; i < n; i++) {
      int c = a.labels().get(i).getValue().compareTo(b.labels().get(i).getValue());
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.labels().size(), b.labels().size());
  };

  /** Characters a metric name (or, without {@code :}, a label name) cannot hold become {@code _}. */
  private static String sanitize(String s, boolean metric) {
    StringBuilder b = new StringBuilder(s.length() + 1);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || metric && c == ':'
          || i > 0 && c >= '0' && c <= '9';
      b.append(ok ? c : '_');
    }
    return b.toString();
  }

  /** Backslash and line feed escaped; in a label value the double quote too. */
  private static void escape(StringBuilder out, String s, boolean labelValue) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '"' -> out.append(labelValue ? "\\\"" : "\"");
        default -> out.append(c);
      }
    }
  }

  private static String number(double v) {
    return v == Double.POSITIVE_INFINITY ? "+Inf" : v == Double.NEGATIVE_INFINITY ? "-Inf" : Double.toString(v);
  }
}
