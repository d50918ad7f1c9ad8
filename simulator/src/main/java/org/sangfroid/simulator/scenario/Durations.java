package org.sangfroid.simulator.scenario;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sangfroid.core.config.ConfigNode;

/** Scenario durations: {@code 90s}, {@code 6h}, and compound ones such as {@code 6h10m} or {@code 2d3h}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern COMPOUND = Pattern.compile("(\\d+(ms|s|m|h|d))+");

  private Durations() {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} when it is not a duration. */
  public static Duration parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
    if (!COMPOUND.matcher(t).matches()) {
      return ConfigNode.parseDuration(text); // ISO-8601 (PT6H10M) or 90sec, 5min
    }
    Duration d = Duration.ZERO;
    Matcher m = PART.matcher(t);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      d = d.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      });
    }
    return d;
  }

  /** Writes {@code d} as a tester would type it: {@code 6h10m}, {@code 2d}, {@code 45s}. */
  public static String human(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder(d.isNegative() ? "-" : "");
    Duration left = d.abs();
    long days = left.toDays();
    long hours = left.toHoursPart();
    long minutes = left.toMinutesPart();
    long seconds = left.toSecondsPart();
    long millis = left.toMillisPart();
    if (days > 0) {
      out.append(days).append('d');
    }
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (minutes > 0) {
      out.append(minutes).append('m');
    }
    if (seconds > 0) {
      out.append(seconds).append('s');
    }
    if (millis > 0) {
      out.append(millis).append("ms");
    }
    return out.toString();
  }
}
