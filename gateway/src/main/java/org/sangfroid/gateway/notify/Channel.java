package org.sangfroid.gateway.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.sangfroid.core.check.Checks;
import org.sangfroid.gateway.config.GatewayConfig.Notify;
import org.sangfroid.gateway.config.GatewayConfig.Webhook;

/**
 * A notifier with its names.
 *
 * @param name {@code email} or {@code webhook}: the metric tag {@code channel}
 * @param target the recipients or the URL, for logs and dead letters
 */
public record Channel(String name, String target, Notifier notifier) {
  public static final String EMAIL = "email";
  public static final String WEBHOOK = "webhook";

  public Channel {
    Checks.requireNonNull("name", name);
    Checks.requireNonNull("target", target);
    Checks.requireNonNull("notifier", notifier);
  }

  /**
   * The channels of a {@code notify} section, secrets read now.
   *
   * @throws UncheckedIOException if a password or secret file cannot be read
   */
  public static List<Channel> of(Notify config, Clock clock) {
    return of(config, clock, MailLanguages.english(), ZoneOffset.UTC);
  }

  /**
   * As above, e-mails in each recipient's language ({@code languages}), times in {@code zone}.
   *
   * @throws UncheckedIOException if a password or secret file cannot be read
   */
  public static List<Channel> of(Notify config, Clock clock, MailLanguages languages, ZoneId zone) {
    List<Channel> channels = new ArrayList<>();
    config.email().ifPresent(e -> {
      EmailNotifier n = new EmailNotifier(e, e.passwordFile().map(f -> firstLine(f, "notify.email.smtp.passwordFile")),
          clock, languages, zone);
      channels.add(new Channel(EMAIL, n.target(), n));
    });
    if (!config.webhooks().isEmpty()) {
      HttpClient http = WebhookNotifier.client();
      for (Webhook w : config.webhooks()) {
        byte[] secret = firstLine(w.secretFile(), "notify.webhooks.secretFile").getBytes(StandardCharsets.UTF_8);
        WebhookNotifier n = new WebhookNotifier(w.url(), secret, http);
        channels.add(new Channel(WEBHOOK, n.target(), n));
      }
    }
    return channels;
  }

  private static String firstLine(Path file, String key) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return lines.isEmpty() ? "" : lines.get(0).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(key + " [" + file + "] cannot be read", e);
    }
  }
}
