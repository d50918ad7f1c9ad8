package org.sangfroid.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.gateway.config.GatewayConfig.Email;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Role;
import org.sangfroid.gateway.user.Users;

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
        .isEqualTo("[Sangfroid] ALARM High temperature: rbc-fridge-1 (demo-centre) since 10:03 AM UTC");
    assertThat(m.getHeader("Content-Language")).containsExactly("en");
    assertThat(m.getFrom()[0].toString()).isEqualTo("sangfroid@centre.example");
    assertThat(m.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
        .containsExactly("qa@centre.example", "oncall@centre.example");
    assertThat(m.getHeader("X-Sangfroid-Alarm")).containsExactly("12");
    String body = ((String) m.getContent()).replace("\r\n", "\n");
    assertThat(body).contains(
        "Alarm 12 raised.",
        "Unit:    rbc-fridge-1",
        "Site:    demo-centre",
        "Kind:    High temperature (HIGH_TEMPERATURE)",
        "Started: Nov 23, 2026, 10:03:00 AM UTC",
        "Raised:  Nov 23, 2026, 10:08:00 AM UTC",
        "State:   ACTIVE",
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

  // ---- issue 5: each recipient's language ----

  @TempDir Path dir;

  private static String body(MimeMessage m) throws Exception {
    return ((String) m.getContent()).replace("\r\n", "\n");
  }

  private static MimeMessage to(String address) throws Exception {
    for (MimeMessage m : MAIL.getReceivedMessages()) {
      if (m.getAllRecipients()[0].toString().equals(address)) {
        return m;
      }
    }
    throw new AssertionError("no mail to " + address);
  }

  @Test
  void deliver_toAFrenchWebUser_andAnAddressOfNoUser_sendsEachInTheirLanguage() throws Exception {
    try (GatewayStore store = GatewayStore.open(dir.resolve("gateway.db"))) {
      assertThat(new Users(store, CLOCK).add("system", "test", "k.amrani", Role.QM, Language.FR,
          Optional.of("QA@centre.example"), "correct horse battery".toCharArray())).isInstanceOf(Users.Done.class);
      MailLanguages languages = new MailLanguages(new Users(store, CLOCK)::languageOfEmail, Map.of(), Language.EN);
      EmailNotifier notifier = new EmailNotifier(email(MAIL.getSmtp().getPort()), Optional.empty(), CLOCK, languages,
          ZoneId.of("Europe/Paris"));

      notifier.deliver(Notification.of(NotifyFixtures.raised(), NotifyFixtures.API));
    }

    assertThat(MAIL.getReceivedMessages()).hasSize(2); // one e-mail per language, one recipient each
    MimeMessage fr = to("qa@centre.example");
    assertThat(fr.getSubject())
        .isEqualTo("[Sangfroid] ALARME Température haute : rbc-fridge-1 (demo-centre) depuis 11:03 Europe/Paris");
    assertThat(fr.getHeader("Content-Language")).containsExactly("fr");
    assertThat(body(fr)).contains(
        "Alarme 12 déclenchée.",
        "Enceinte :   rbc-fridge-1",
        "Type :       Température haute (HIGH_TEMPERATURE)",
        "Début :      23 nov. 2026, 11:03:00 Europe/Paris",
        "Valeur :     7,2 °C",
        "Pic :        7,5 °C",
        "En retard :  oui (mesures arrivées après une coupure)",
        "Acquittez-la et clôturez-la dans Sangfroid : http://gw.example:8080/api/alarms/12");
    MimeMessage en = to("oncall@centre.example");
    assertThat(en.getSubject())
        .isEqualTo("[Sangfroid] ALARM High temperature: rbc-fridge-1 (demo-centre) since 11:03 AM Europe/Paris");
    assertThat(body(en)).contains("Value:   7.2 °C", "Started: Nov 23, 2026, 11:03:00 AM Europe/Paris");
  }

  @Test
  void deliver_siteSpeaksFrench_escalationAndDrill_areInFrench_drillInTheGatewaysLanguage() throws Exception {
    MailLanguages languages = new MailLanguages(a -> Optional.empty(), Map.of("demo-centre", Language.FR),
        Language.EN);
    EmailNotifier notifier = new EmailNotifier(email(MAIL.getSmtp().getPort()), Optional.empty(), CLOCK, languages,
        ZoneOffset.UTC);

    notifier.deliver(Notification.of(Notification.Event.ESCALATED, NotifyFixtures.raised().alarm(),
        NotifyFixtures.API, 2, List.of("astreinte@centre.example")));
    notifier.deliver(Notification.test(NotifyFixtures.API, "alarm drill by s.idrissi"));

    MimeMessage escalated = to("astreinte@centre.example");
    assertThat(escalated.getSubject()).isEqualTo(
        "[Sangfroid] NON ACQUITTÉE (rappel 2) ALARME Température haute : rbc-fridge-1 (demo-centre) depuis 10:03 UTC");
    assertThat(body(escalated)).startsWith("L'alarme 12 n'a pas été acquittée (rappel 2). Vous êtes d'astreinte");
    MimeMessage drill = to("qa@centre.example");
    assertThat(drill.getSubject()).as("a drill is about no site: the gateway's language")
        .isEqualTo("[Sangfroid] TEST message: notifications reach you (no action needed)");
  }

  @Test
  void deliver_drill_gatewaySpeaksFrench_isInFrench() throws Exception {
    MailLanguages languages = new MailLanguages(a -> Optional.empty(), Map.of(), Language.FR);
    EmailNotifier notifier = new EmailNotifier(email(MAIL.getSmtp().getPort()), Optional.empty(), CLOCK, languages,
        ZoneOffset.UTC);

    notifier.deliver(Notification.test(NotifyFixtures.API, "alarm drill by s.idrissi"));

    MimeMessage drill = to("qa@centre.example");
    assertThat(drill.getSubject())
        .isEqualTo("[Sangfroid] Message de TEST : les notifications vous parviennent (rien à faire)");
    assertThat(body(drill)).contains("Ceci est un message de test de Sangfroid (alarm drill by s.idrissi).",
        "Si vous le lisez, les notifications d'alarme de Sangfroid vous parviennent par ce canal.",
        "Passerelle : http://gw.example:8080");
  }
}
