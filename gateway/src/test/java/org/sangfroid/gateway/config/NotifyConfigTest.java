package org.sangfroid.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.gateway.config.GatewayConfig.Email;
import org.sangfroid.gateway.config.GatewayConfig.Notify;
import org.sangfroid.gateway.config.GatewayConfig.Retry;
import org.sangfroid.gateway.config.GatewayConfig.Webhook;

/** The {@code notify:} section of the gateway's configuration. */
class NotifyConfigTest {
  @TempDir Path dir;

  private static final String BASE = """
      dataDir: ./data
      sites:
        - id: casa-01
      """;

  @BeforeEach
  void secrets() throws Exception {
    Files.writeString(dir.resolve("smtp.secret"), "pw\n");
    Files.writeString(dir.resolve("hook.secret"), "key\n");
  }

  @Test
  void parse_fullSection_readsEveryKey() {
    String text = BASE + """
        notify:
          publicUrl: https://gw.example/
          email:
            smtp: { host: mail.example, port: 587, startTls: true, username: sangfroid, passwordFile: smtp.secret }
            from: sangfroid@centre.example
            to: [qa@centre.example, oncall@centre.example]
          webhooks:
            - url: https://hooks.example/sangfroid
              secretFile: hook.secret
            - url: http://127.0.0.1:9000/hook
              secretFile: hook.secret
          retry: { first: 5s, max: 1m, giveUpAfter: 2h }
        """;

    GatewayConfig c = GatewayConfig.parse("gateway.yaml", text, dir);

    assertThat(c.notifications()).contains(new Notify(Optional.of("https://gw.example"),
        Optional.of(new Email("mail.example", 587, true, Optional.of("sangfroid"),
            Optional.of(dir.resolve("smtp.secret")), "sangfroid@centre.example",
            List.of("qa@centre.example", "oncall@centre.example"))),
        List.of(new Webhook(URI.create("https://hooks.example/sangfroid"), dir.resolve("hook.secret")),
            new Webhook(URI.create("http://127.0.0.1:9000/hook"), dir.resolve("hook.secret"))),
        new Retry(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofHours(2))));
  }

  @Test
  void parse_minimalEmail_usesDefaults() {
    String text = BASE + """
        notify:
          email:
            smtp: { host: 127.0.0.1 }
            from: sangfroid@centre.example
            to: [qa@centre.example]
        """;

    Notify n = GatewayConfig.parse("gateway.yaml", text, dir).notifications().orElseThrow();

    assertThat(n.email().orElseThrow()).isEqualTo(new Email("127.0.0.1", 25, false, Optional.empty(),
        Optional.empty(), "sangfroid@centre.example", List.of("qa@centre.example")));
    assertThat(n.webhooks()).isEmpty();
    assertThat(n.publicUrl()).isEmpty();
    assertThat(n.retry()).isEqualTo(GatewayConfig.DEFAULT_RETRY);
  }

  @Test
  void parse_noSection_meansNoNotifications() {
    assertThat(GatewayConfig.parse("gateway.yaml", BASE, dir).notifications()).isEmpty();
  }

  @Test
  void parse_severalMistakes_areAllReportedAtOnceWithTheirLines() {
    String text = BASE + """
        notify:
          email:
            smtp:
              host: mail.example
              port: 70000
            from: sangfroid
            to: [qa@centre.example]
          webhooks:
            - url: hooks.example
              secretFile: missing.secret
          retry:
            first: soon
        """;

    assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", text, dir))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "gateway.yaml:8: notify.email.smtp.port [70000] must be a whole number from 1 to 65535.",
            "gateway.yaml:9: notify.email.from [sangfroid] must be an e-mail address such as"
                + " sangfroid@centre.example.",
            "gateway.yaml:12: notify.webhooks[0].url [hooks.example] must be an http:// or https:// URL such as"
                + " https://hooks.example/sangfroid.",
            "gateway.yaml:13: notify.webhooks[0].secretFile [missing.secret] must be a readable file, found nothing"
                + " readable at " + dir.resolve("missing.secret") + ".",
            "gateway.yaml:15: notify.retry.first [soon] must be a duration from 100ms to 1h such as 30s, 5m or 2h."));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown key      | notify: {emial: {}}                                                     | gateway.yaml:4: notify.emial is not a known setting (known here: email, publicUrl, retry, webhooks)
      not a section    | notify: yes                                                             | gateway.yaml:4: notify must be a section of 'key: value' lines
      bad publicUrl    | notify: {publicUrl: gw.example}                                         | gateway.yaml:4: notify.publicUrl [gw.example] must be an http:// or https:// URL such as https://gateway.example.
      no smtp          | notify: {email: {from: a@b, to: [c@d]}}                                 | gateway.yaml:4: notify.email.smtp is missing
      no host          | notify: {email: {smtp: {port: 25}, from: a@b, to: [c@d]}}               | gateway.yaml:4: notify.email.smtp.host is missing
      bad port         | notify: {email: {smtp: {host: h, port: 0}, from: a@b, to: [c@d]}}       | gateway.yaml:4: notify.email.smtp.port [0] must be a whole number from 1 to 65535.
      bad startTls     | notify: {email: {smtp: {host: h, startTls: maybe}, from: a@b, to: [c@d]}} | gateway.yaml:4: notify.email.smtp.startTls [maybe] must be true or false.
      password no user | notify: {email: {smtp: {host: h, passwordFile: smtp.secret}, from: a@b, to: [c@d]}} | gateway.yaml:4: notify.email.smtp.passwordFile needs notify.email.smtp.username
      password missing | notify: {email: {smtp: {host: h, username: u, passwordFile: nope}, from: a@b, to: [c@d]}} | gateway.yaml:4: notify.email.smtp.passwordFile [nope] must be a readable file, found nothing readable at {dir}/nope.
      bad from         | notify: {email: {smtp: {host: h}, from: sangfroid, to: [c@d]}}          | gateway.yaml:4: notify.email.from [sangfroid] must be an e-mail address such as sangfroid@centre.example.
      no to            | notify: {email: {smtp: {host: h}, from: a@b}}                           | gateway.yaml:4: notify.email.to is missing
      empty to         | notify: {email: {smtp: {host: h}, from: a@b, to: []}}                   | gateway.yaml:4: notify.email.to must list at least one address
      bad to           | notify: {email: {smtp: {host: h}, from: a@b, to: [c@d, qa]}}            | gateway.yaml:4: notify.email.to[1] [qa] must be an e-mail address such as qa@centre.example.
      to not a list    | notify: {email: {smtp: {host: h}, from: a@b, to: c@d}}                  | gateway.yaml:4: notify.email.to must be a list (lines starting with '- ')
      webhook bad url  | 'notify:\\n  webhooks:\\n    - url: ftp://x/hook\\n      secretFile: hook.secret' | gateway.yaml:6: notify.webhooks[0].url [ftp://x/hook] must be an http:// or https:// URL such as https://hooks.example/sangfroid.
      webhook no secret| 'notify:\\n  webhooks:\\n    - url: https://x/hook'                      | gateway.yaml:6: notify.webhooks[0].secretFile is missing
      webhook secret   | 'notify:\\n  webhooks:\\n    - url: https://x/hook\\n      secretFile: none' | gateway.yaml:7: notify.webhooks[0].secretFile [none] must be a readable file, found nothing readable at {dir}/none.
      retry first      | notify: {retry: {first: 0s}}                                            | gateway.yaml:4: notify.retry.first [0s] must be a duration from 100ms to 1h such as 30s, 5m or 2h.
      retry max < first| notify: {retry: {first: 1m, max: 10s}}                                  | gateway.yaml:4: notify.retry.max [10s] must be a duration from 1m to 1d such as 30s, 5m or 2h.
      retry giveUp     | notify: {retry: {giveUpAfter: 30d}}                                     | gateway.yaml:4: notify.retry.giveUpAfter [30d] must be a duration from 1s to 7d such as 30s, 5m or 2h.
      """)
  void parse_badValue_isReportedWithItsLine(String why, String yaml, String expected) {
    String text = BASE + yaml.replace("\\n", "\n") + "\n";

    assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", text, dir))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.problems()).contains(expected.replace("{dir}", dir.toString())));
  }

  @Test
  void parse_escalation_readsTheStepsAndTheRepeat() {
    String text = """
        dataDir: ./data
        sites:
          - id: casa-01
            escalation:
              steps:
                - after: 15m
                  email: [oncall@casa.example]
                - after: 45m
              repeat: 1h
        notify:
          email:
            smtp: { host: 127.0.0.1 }
            from: sangfroid@centre.example
            to: [qa@centre.example]
        """;

    GatewayConfig.Escalation e = GatewayConfig.parse("gateway.yaml", text, dir).sites().get(0).escalation()
        .orElseThrow();

    assertThat(e.steps()).containsExactly(
        new GatewayConfig.Step(java.time.Duration.ofMinutes(15), List.of("oncall@casa.example")),
        new GatewayConfig.Step(java.time.Duration.ofMinutes(45), List.of()));
    assertThat(e.repeat()).isEqualTo(java.time.Duration.ofHours(1));
    assertThat(e.step(1).email()).containsExactly("oncall@casa.example");
    assertThat(e.step(5)).as("past the last step: the last").isEqualTo(e.steps().get(1));
    assertThat(e.next(1)).isEqualTo(java.time.Duration.ofMinutes(30));
    assertThat(e.next(2)).isEqualTo(java.time.Duration.ofHours(1));
  }

  @Test
  void parse_escalationMistakes_areReportedWithTheirLines() {
    String text = """
        dataDir: ./data
        sites:
          - id: casa-01
            escalation:
              steps:
                - after: 45m
                  email: [oncall@casa.example]
                - after: 15m
                  email: [not-an-address]
              repeat: often
        """;

    assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", text, dir))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "gateway.yaml:7: escalation e-mail needs notify.email (the SMTP server to send it)",
            "gateway.yaml:8: sites[0].escalation.steps[1].after [15m] must be later than the step before (45 min).",
            "gateway.yaml:9: sites[0].escalation.steps[1].email[0] [not-an-address] must be an e-mail address such as"
                + " oncall@centre.example.",
            "gateway.yaml:10: sites[0].escalation.repeat [often] must be a duration from 1m to 1d such as 30s, 5m or"
                + " 2h."));
  }
}
