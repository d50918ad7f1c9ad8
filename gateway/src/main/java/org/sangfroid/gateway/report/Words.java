package org.sangfroid.gateway.report;

import java.text.MessageFormat;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.ResourceBundle;
import org.sangfroid.gateway.user.Language;

/**
 * A report's words, numbers and times in the reader's language: the texts {@code report.*} of
 * the web app's bundles ({@code org.sangfroid.gateway.web.messages}, so both languages are checked
 * together), times in the gateway's zone. Thread-safe.
 */
public final class Words {
  private static final String BUNDLE = "org.sangfroid.gateway.web.messages";

  private final Language language;
  private final ZoneId zone;
  private final ResourceBundle bundle;
  private final DateTimeFormatter dateTime;
  private final DateTimeFormatter date;

  public Words(Language language, ZoneId zone) {
    this.language = language;
    this.zone = zone;
    this.bundle = ResourceBundle.getBundle(BUNDLE, language.locale(),
        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    this.dateTime = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(language.locale())
        .withZone(zone);
    this.date = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(language.locale());
  }

  public Language language() {
    return language;
  }

  public Locale locale() {
    return language.locale();
  }

  public ZoneId zone() {
    return zone;
  }

  /** The text {@code key} with {@code args} in its {0}, {1}… (MessageFormat). */
  public String t(String key, Object... args) {
    return new MessageFormat(bundle.getString(key), language.locale()).format(args);
  }

  /** "4.5 °C" or "4,5 °C"; "—" for none. */
  public String celsius(OptionalDouble value) {
    return value.isPresent() ? celsius(value.getAsDouble()) : "—";
  }

  public String celsius(double value) {
    return decimal(value, 1) + "\u00a0°C";
  }

  /** {@code value} with exactly {@code digits} decimals, as the language writes it; a true minus sign. */
  public String decimal(double value, int digits) {
    NumberFormat f = NumberFormat.getNumberInstance(language.locale());
    f.setMinimumFractionDigits(digits);
    f.setMaximumFractionDigits(digits);
    f.setGroupingUsed(false);
    return f.format(value).replace('-', '\u2212');
  }

  public String time(long epochMillis) {
    return dateTime.format(Instant.ofEpochMilli(epochMillis));
  }

  public String date(java.time.LocalDate d) {
    return date.format(d);
  }

  /** A duration as "2 d 3 h", "1 h 05 min", "12 min", "40 s". */
  public String duration(long millis) {
    long s = Math.max(0, millis / 1000);
    if (s < 60) {
      return t("report.duration.seconds", s);
    } else if (s < 3600) {
      return t("report.duration.minutes", s / 60);
    } else if (s < 86_400) {
      return t("report.duration.hours", s / 3600, String.format("%02d", (s % 3600) / 60));
    }
    return t("report.duration.days", s / 86_400, s % 86_400 / 3600);
  }
}
