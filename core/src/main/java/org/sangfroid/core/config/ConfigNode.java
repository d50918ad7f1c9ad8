package org.sangfroid.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sangfroid.core.check.Checks;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A value in a configuration file with its path ({@code units[2].profile}) and line. Getters
 * never throw on bad input: they record a problem in the {@link ConfigDocument} and return a
 * placeholder, so one pass finds every error of the file.
 */
public final class ConfigNode {
  private static final Pattern SHORT_DURATION =
      Pattern.compile("(\\d+)\\s*(ms|s|sec|m|min|h|d)", Pattern.CASE_INSENSITIVE);

  private final ConfigDocument doc;
  private final String path;
  private final Node node;

  ConfigNode(ConfigDocument doc, String path, Node node) {
    this.doc = doc;
    this.path = path;
    this.node = node;
  }

  /** The 1-based line of this value in the file. */
  public int line() {
    return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
  }

  /** Where this value sits, e.g. {@code units[2].profile}; empty for the root. */
  public String path() {
    return path;
  }

  /** Records a problem at this value's line. */
  public void problem(String text) {
    doc.problem(line(), text);
  }

  /** Records {@code path [value] must rule.} at this value's line. */
  public void invalid(String rule) {
    problem(Checks.message(path, scalarText(), rule));
  }

  private String scalarText() {
    return node instanceof ScalarNode s ? s.getValue() : node.getNodeId().name().toLowerCase(Locale.ROOT);
  }

  private Map<String, ConfigNode> entries() {
    Map<String, ConfigNode> map = new LinkedHashMap<>();
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k) {
          String child = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
          map.put(k.getValue(), new ConfigNode(doc, child, t.getValueNode()));
        }
      }
    }
    return map;
  }

  /** True when this value is a mapping ({@code key: value} lines). */
  public boolean isMapping() {
    return node instanceof MappingNode;
  }

  /** Records a problem unless this value is a mapping; returns whether it is one. */
  public boolean expectMapping() {
    if (!isMapping()) {
      problem((path.isEmpty() ? "the file" : path) + " must be a section of 'key: value' lines");
      return false;
    }
    return true;
  }

  /** Records a problem for each key not in {@code allowed} (catches typos such as 'untis'). */
  public void allowOnly(Collection<String> allowed) {
    if (!(node instanceof MappingNode m)) {
      return;
    }
    for (NodeTuple t : m.getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
      if (!allowed.contains(key)) {
        String where = path.isEmpty() ? key : path + "." + key;
        doc.problem(
            t.getKeyNode().getStartMark().getLine() + 1,
            where + " is not a known setting (known here: " + String.join(", ", sorted(allowed)) + ")");
      }
    }
  }

  private static List<String> sorted(Collection<String> c) {
    return c.stream().sorted().toList();
  }

  /** The child at {@code key}, if present. */
  public Optional<ConfigNode> get(String key) {
    return Optional.ofNullable(entries().get(key));
  }

  /** The child at {@code key}; if it is missing, records "key is missing" and returns empty. */
  public Optional<ConfigNode> require(String key) {
    Optional<ConfigNode> child = get(key);
    if (child.isEmpty()) {
      problem((path.isEmpty() ? key : path + "." + key) + " is missing");
    }
    return child;
  }

  /** The elements of the list at {@code key}; empty if absent (and a problem if not a list). */
  public List<ConfigNode> list(String key) {
    Optional<ConfigNode> child = get(key);
    if (child.isEmpty()) {
      return List.of();
    }
    return child.get().elements();
  }

  /** This value's elements, if it is a list (otherwise a problem is recorded). */
  public List<ConfigNode> elements() {
    if (!(node instanceof SequenceNode s)) {
      problem(path + " must be a list (lines starting with '- ')");
      return List.of();
    }
    List<ConfigNode> out = new ArrayList<>();
    for (int i = 0; i < s.getValue().size(); i++) {
      out.add(new ConfigNode(doc, path + "[" + i + "]", s.getValue().get(i)));
    }
    return out;
  }

  /** This value as text, if it is a single value (otherwise records a problem). */
  public Optional<String> text() {
    if (node instanceof ScalarNode s) {
      return Optional.of(s.getValue());
    }
    problem(path + " must be a single value, not a " + (node instanceof SequenceNode ? "list" : "section"));
    return Optional.empty();
  }

  private <T> Optional<T> convert(Function<String, T> parse, String rule) {
    Optional<String> text = text();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse.apply(text.get().trim()));
    } catch (RuntimeException e) {
      invalid(rule);
      return Optional.empty();
    }
  }

  /** Required text at {@code key}; "" (and a problem) when missing. */
  public String string(String key) {
    return require(key).flatMap(ConfigNode::text).orElse("");
  }

  /** Optional text at {@code key}. */
  public String string(String key, String fallback) {
    return get(key).flatMap(ConfigNode::text).orElse(fallback);
  }

  /** Required identifier at {@code key} (see {@link Checks#ID}). */
  public String id(String key) {
    Optional<ConfigNode> child = require(key);
    if (child.isEmpty()) {
      return "";
    }
    String value = child.get().text().orElse("");
    if (!value.isEmpty() && !Checks.isId(value)) {
      child.get().invalid(Checks.ID_RULE);
    }
    return value;
  }

  /** Integer at {@code key} within [min, max], or {@code fallback} when absent. */
  public int integer(String key, int fallback, int min, int max) {
    Optional<ConfigNode> child = get(key);
    if (child.isEmpty()) {
      return fallback;
    }
    String rule = "be a whole number from " + min + " to " + max;
    Optional<Integer> value = child.get().convert(Integer::parseInt, rule);
    if (value.isPresent() && (value.get() < min || value.get() > max)) {
      child.get().invalid(rule);
      return fallback;
    }
    return value.orElse(fallback);
  }

  /** Decimal number at {@code key}, if present. */
  public Optional<Double> decimal(String key) {
    return get(key).flatMap(c -> c.convert(ConfigNode::finiteDouble, "be a number such as 4.5 or -25"));
  }

  private static double finiteDouble(String s) {
    double d = Double.parseDouble(s);
    if (!Double.isFinite(d)) {
      throw new NumberFormatException(s);
    }
    return d;
  }

  /** true/false at {@code key}, or {@code fallback}. */
  public boolean bool(String key, boolean fallback) {
    return get(key)
        .flatMap(c -> c.convert(ConfigNode::parseBool, "be true or false"))
        .orElse(fallback);
  }

  private static boolean parseBool(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException(s);
    };
  }

  /**
   * A duration at {@code key} such as {@code 60s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601
   * ({@code PT5M}), within [min, max]; {@code fallback} when absent.
   */
  public Duration duration(String key, Duration fallback, Duration min, Duration max) {
    Optional<ConfigNode> child = get(key);
    if (child.isEmpty()) {
      return fallback;
    }
    String rule = "be a duration from " + human(min) + " to " + human(max) + " such as 30s, 5m or 2h";
    Optional<Duration> value = child.get().convert(ConfigNode::parseDuration, rule);
    if (value.isPresent() && (value.get().compareTo(min) < 0 || value.get().compareTo(max) > 0)) {
      child.get().invalid(rule);
      return fallback;
    }
    return value.orElse(fallback);
  }

  /** Parses {@code 90s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 250ms} or ISO-8601. */
  public static Duration parseDuration(String text) {
    Matcher m = SHORT_DURATION.matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "ms" -> Duration.ofMillis(n);
        case "s", "sec" -> Duration.ofSeconds(n);
        case "m", "min" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a duration: " + text, e);
    }
  }

  /** Writes a duration the way a technician would type it ({@code 90s}, {@code 5m}). */
  public static String human(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.getSeconds();
    if (s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  /** One of {@code choices} at {@code key} (required). */
  public String oneOf(String key, Set<String> choices) {
    Optional<ConfigNode> child = require(key);
    if (child.isEmpty()) {
      return "";
    }
    String value = child.get().text().orElse("");
    if (!choices.contains(value)) {
      child.get().invalid("be one of " + String.join(", ", sorted(choices)));
    }
    return value;
  }
}
