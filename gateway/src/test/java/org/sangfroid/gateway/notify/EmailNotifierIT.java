package org.sangfroid.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sangfroid.gateway.config.GatewayConfig.Email;

/** E-mail against GreenMail's SMTP server on a free loopback port. */
class EmailNotifierIT {
  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

  private static final Clock CLOCK = Clock.fixed(NotifyFixtures.RAISED, ZoneOffset.UTC);

  private static Email email(int port) {
    return new Email("127.0.0.1", port, false, Optional.empty(), Optional.empty(), "sangfroid@centre.example",
        List.of("qa@centre.example", "oncall@centre.example"));
  }

  @Test
  void deliver_raisedAlarm_reachesEveryRecipientWithSubjectAndFacts() throws Exception {
    EmailNotifier notifier = new EmailNotifier(email(MAIL.getSmtp().getPort()), Optional.empty(), CLOCK);

    notifier.deliver(Notification.of(NotifyFixtures.raised(), NotifyFixtures.API));

    MimeMessage[] received = MAIL.getReceivedMessages();
    assertThat(received).hasSize(2); // one copy per recipient
    MimeMessage m = received[0];
    assertThat(m.getSubject())
        .isEqualTo("[Sangfroid] ALARM HIGH_TEMPERATURE rbc-fridge-1 (demo-centre) since 10:03 UTC");
    assertThat(m.getFrom()[0].toString()).isEqualTo("sangfroid@centre.example");
    assertThat(m.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
        .containsExactly("qa@centre.example", "oncall@centre.example");
    assertThat(m.getHeader("X-Sangfroid-Alarm")).containsExactly("12");
    String body = ((String) m.getContent()).replace("\r\n", "\n");
    assertThat(body).contains(
        "Alarm 12 raised.",
        "Unit:    rbc-fridge-1",
        "Site:    demo-centre",
        "Kind:    HIGH_TEMPERATURE",
        "Started: 2026-11-23T10:03:00Z",
        "Raised:  2026-11-23T10:08:00Z",
        "Value:   7.2 °C",
        "Limit:   6.0 °C",
        "Peak:    7.5 °C",
        "Late:    yes (readings from a backlog)",
        "http://gw.example:8080/api/alarms/12");
  }

  @Test
  void deliver_serverNotListening_throwsDeliveryException() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    EmailNotifier notifier = new EmailNotifier(email(closedPort), Optional.empty(), CLOCK);

    assertThatThrownBy(() -> notifier.deliver(Notification.of(NotifyFixtures.raised(), NotifyFixtures.API)))
        .isInstanceOf(DeliveryException.class).hasMessageStartingWith("SMTP 127.0.0.1:" + closedPort + ": ");
  }
}
