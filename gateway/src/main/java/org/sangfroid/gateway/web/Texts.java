package org.sangfroid.gateway.web;

import java.text.MessageFormat;
import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.ResourceBundle;
import org.sangfroid.gateway.user.Language;

/**
 * The web app's words, numbers and times in one language: texts from the resource bundles
 * {@code messages_en} and {@code messages_fr} (UTF-8), times in the configured zone. Thread-safe.
 */
final class Texts {
  static final String BUNDLE = "org.sangfroid.gateway.web.messages";

  private static final Map<Language, ResourceBundle> BUNDLES = new EnumMap<>(Language.class);

  static {
    for (Language l : Language.values()) {
      BUNDLES.put(l, ResourceBundle.getBundle(BUNDLE, l.locale(),
          ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)));
    }
  }

  private final Language language;
  private final ResourceBundle bundle;
  private final DateTimeFormatter dateTime;

  Texts(Language language, ZoneId zone) {
    this.language = language;
    this.bundle = BUNDLES.get(language);
    this.dateTime = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(language.locale())
        .withZone(zone);
  }

  static ResourceBundle bundle(Language l) {
    return BUNDLES.get(l);
  }

  Language language() {
    return language;
  }

  /** The text {@code key}, with {@code args} put in its {0}, {1}… (always MessageFormat: '' is an apostrophe). */
  String t(String key, Object... args) {
    return new MessageFormat(bundle.getString(key), language.locale()).format(args);
  }

  /** A temperature such as "4.5 °C" or "4,5 °C"; "—" when there is none. */
  String celsius(OptionalDouble value) {
    return value.isPresent() ? celsius(value.getAsDouble()) : "—";
  }

  String celsius(double value) {
    NumberFormat f = NumberFormat.getNumberInstance(language.locale());
    f.setMinimumFractionDigits(1);
    f.setMaximumFractionDigits(1);
    return f.format(value) + "\u00a0°C";
  }

  String number(long n) {
    return NumberFormat.getIntegerInstance(language.locale()).format(n);
  }

  /** A time as this language writes it, in the configured zone. */
  String time(long epochMillis) {
    return dateTime.format(Instant.ofEpochMilli(epochMillis));
  }

  /** How long ago, roughly: "12 s", "5 min", "3 h 20 min", "2 d". */
  String ago(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return t("ago.seconds", s);
    } else if (s < 3600) {
      return t("ago.minutes", s / 60);
    } else if (s < 86_400) {
      return t("ago.hours", s / 3600, (s % 3600) / 60);
    }
    return t("ago.days", s / 86_400);
  }

  Locale locale() {
    return language.locale();
  }
}
