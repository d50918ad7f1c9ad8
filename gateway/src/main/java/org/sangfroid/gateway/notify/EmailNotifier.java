package org.sangfroid.gateway.notify;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.sangfroid.gateway.config.GatewayConfig.Email;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.user.Language;

/**
 * Sends each notification as a plain-text e-mail (UTF-8) to every recipient, in each one's
 * language ({@link MailLanguages}: one e-mail per language), over
 * SMTP with Jakarta Mail: connect, read and write time out after 10 s each; STARTTLS is required
 * when configured; authentication when a username is configured.
 */
public final class EmailNotifier implements Notifier {
  /** Connect, read and write timeout, milliseconds. */
  public static final int TIMEOUT_MILLIS = 10_000;

  private final Email config;
  private final Optional<String> password;
  private final Session session;
  private final Clock clock;
  private final InternetAddress from;
  private final InternetAddress[] to;
  private final MailLanguages languages;
  private final ZoneId zone;

  /** English e-mails, times in UTC. @param password the SMTP password, used with the configured username */
  public EmailNotifier(Email config, Optional<String> password, Clock clock) {
    this(config, password, clock, MailLanguages.english(), ZoneOffset.UTC);
  }

  /**
   * @param password the SMTP password, used with the configured username
   * @param languages who reads which language
   * @param zone the zone of the times in the e-mails
   */
  public EmailNotifier(Email config, Optional<String> password, Clock clock, MailLanguages languages, ZoneId zone) {
    this.languages = languages;
    this.zone = zone;
    this.config = config;
    this.password = password;
    this.clock = clock;
    Properties p = new Properties();
    p.put("mail.transport.protocol", "smtp");
    p.put("mail.smtp.host", config.host());
    p.put("mail.smtp.port", Integer.toString(config.port()));
    p.put("mail.smtp.connectiontimeout", Integer.toString(TIMEOUT_MILLIS));
    p.put("mail.smtp.timeout", Integer.toString(TIMEOUT_MILLIS));
    p.put("mail.smtp.writetimeout", Integer.toString(TIMEOUT_MILLIS));
    p.put("mail.smtp.auth", Boolean.toString(config.username().isPresent()));
    p.put("mail.smtp.starttls.enable", Boolean.toString(config.startTls()));
    p.put("mail.smtp.starttls.required", Boolean.toString(config.startTls()));
    this.session = Session.getInstance(p);
    try {
      this.from = new InternetAddress(config.from(), true);
      this.to = new InternetAddress[config.to().size()];
      for (int i = 0; i < to.length; i++) {
        to[i] = new InternetAddress(config.to().get(i), true);
      }
    } catch (AddressException e) {
      throw new IllegalArgumentException("notify.email addresses must be valid: " + e.getMessage(), e);
    }
  }

  /** The recipients, for logs and dead letters. */
  public String target() {
    return String.join(", ", config.to());
  }

  private static InternetAddress[] addresses(List<String> list) throws AddressException {
    InternetAddress[] out = new InternetAddress[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = new InternetAddress(list.get(i), true);
    }
    return out;
  }

  /**
   * Sends one e-mail per language to the notification's recipients (the on-call people of an
   * escalation, else the configured ones), each in the language {@link MailLanguages} gives. If
   * one language's e-mail is refused after another's was sent, the retry sends both again: a
   * duplicate rather than a loss.
   */
  @Override
  public void deliver(Notification n) {
    List<String> recipients = n.onCall().isEmpty() ? config.to() : n.onCall();
    Optional<String> site = n.alarm().map(AlarmRow::site);
    Map<Language, List<String>> byLanguage = new LinkedHashMap<>();
    for (String r : recipients) {
      byLanguage.computeIfAbsent(languages.of(r, site), l -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<Language, List<String>> e : byLanguage.entrySet()) {
      send(n, new MailTexts(e.getKey(), zone), e.getValue());
    }
  }

  private void send(Notification n, MailTexts texts, List<String> recipients) {
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(from);
      m.setRecipients(Message.RecipientType.TO, recipients.equals(config.to()) ? to : addresses(recipients));
      m.setSubject(texts.subject(n), StandardCharsets.UTF_8.name());
      m.setText(texts.body(n), StandardCharsets.UTF_8.name());
      m.setHeader("Content-Language", texts.language().wire());
      m.setSentDate(new Date(clock.millis()));
      m.setHeader("X-Sangfroid-Alarm", Long.toString(n.alarmId()));
      m.setHeader("X-Sangfroid-Event", n.eventName());
      if (config.username().isPresent()) {
        Transport.send(m, config.username().get(), password.orElse(""));
      } else {
        Transport.send(m);
      }
    } catch (MessagingException e) {
      throw new DeliveryException("SMTP " + config.host() + ":" + config.port() + ": " + e, e);
    }
  }
}
