package org.sangfroid.gateway.notify;

import java.text.MessageFormat;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.ResourceBundle;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.user.Language;

/**
 * An alarm e-mail's subject and body in one language: texts from the bundles {@code mail_en} and
 * {@code mail_fr} (the names of alarm kinds and states from the web app's bundles, so both say
 * the same), times in the configured zone, numbers as the language writes them. Thread-safe.
 */
public final class MailTexts {
  static final String BUNDLE = "org.sangfroid.gateway.notify.mail";
  private static final String WEB_BUNDLE = "org.sangfroid.gateway.web.messages";

  private final Language language;
  private final ZoneId zone;
  private final ResourceBundle mail;
  private final ResourceBundle web;
  private final DateTimeFormatter dateTime;
  private final DateTimeFormatter hour;

  /** @param zone the zone times are written in (the web app's {@code http.timeZone}) */
  public MailTexts(Language language, ZoneId zone) {
    this.language = language;
    this.zone = zone;
    this.mail = bundle(BUNDLE, language);
    this.web = bundle(WEB_BUNDLE, language);
    this.dateTime = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(language.locale())
        .withZone(zone);
    this.hour = DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(language.locale()).withZone(zone);
  }

  static ResourceBundle bundle(String name, Language l) {
    return ResourceBundle.getBundle(name, l.locale(),
        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
  }

  public Language language() {
    return language;
  }

  String t(String key, Object... args) {
    return new MessageFormat(mail.getString(key), language.locale()).format(args);
  }

  /** E.g. {@code [Sangfroid] ALARM High temperature: rbc-fridge-1 (casa-01) since 10:03 AM UTC}. */
  public String subject(Notification n) {
    if (n.alarm().isEmpty()) {
      return t("subject.test");
    }
    AlarmRow a = n.alarm().get();
    String at = switch (n.event()) {
      case CLEARED -> a.clearedAt().isPresent() ? hour(a.clearedAt().getAsLong()) : "?";
      default -> hour(a.startedAt());
    };
    return t("subject." + n.eventName(), kind(a), a.unit(), a.site(), at, n.level());
  }

  /** The plain-text body: one fact a line, the labels aligned. */
  public String body(Notification n) {
    StringBuilder b = new StringBuilder();
    if (n.alarm().isEmpty()) {
      b.append(n.note().isEmpty() ? t("test.introNoNote") : t("test.intro", n.note())).append("\n\n")
          .append(t("test.body")).append("\n\n").append(t("test.gateway", n.alarmUrl())).append('\n');
      return b.toString();
    }
    AlarmRow a = n.alarm().get();
    b.append(t("intro." + n.eventName(), Long.toString(a.id()), n.level())).append("\n\n");
    List<String[]> facts = new ArrayList<>();
    facts.add(new String[] {"unit", a.unit()});
    facts.add(new String[] {"site", a.site()});
    facts.add(new String[] {"kind", kind(a) + " (" + a.kind().name() + ")"});
    facts.add(new String[] {"started", time(a.startedAt())});
    facts.add(new String[] {"raised", time(a.raisedAt())});
    if (a.clearedAt().isPresent()) {
      facts.add(new String[] {"cleared", time(a.clearedAt().getAsLong())});
    }
    facts.add(new String[] {"value", celsius(a.triggerValue())});
    facts.add(new String[] {"limit", celsius(a.limit())});
    facts.add(new String[] {"peak", celsius(a.peak())});
    facts.add(new String[] {"late", t(a.late() ? "late.yes" : "late.no")});
    facts.add(new String[] {"state", web.getString("alarmState." + a.state().name())});
    int width = facts.stream().mapToInt(f -> t("label." + f[0]).length()).max().orElse(0) + 1;
    for (String[] f : facts) {
      String label = t("label." + f[0]);
      b.append(label).append(" ".repeat(width - label.length())).append(f[1]).append('\n');
    }
    b.append('\n').append(t("link", n.alarmUrl())).append('\n');
    return b.toString();
  }

  private String kind(AlarmRow a) {
    return web.getString("kind." + a.kind().name());
  }

  /** A time as the language writes it, with its zone: {@code 23 nov. 2026, 10:03:00 UTC}. */
  String time(long epochMillis) {
    return dateTime.format(Instant.ofEpochMilli(epochMillis)) + " " + zoneName();
  }

  private String hour(long epochMillis) {
    return hour.format(Instant.ofEpochMilli(epochMillis)) + " " + zoneName();
  }

  private String zoneName() {
    return zone.normalized().equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
  }

  /** {@code 7.25 °C}, {@code 7,25 °C}; "-" when there is no value. */
  String celsius(OptionalDouble value) {
    if (value.isEmpty()) {
      return "-";
    }
    NumberFormat f = NumberFormat.getNumberInstance(language.locale());
    f.setMinimumFractionDigits(1);
    f.setMaximumFractionDigits(2);
    return f.format(value.getAsDouble()) + " °C";
  }
}
