package org.sangfroid.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.store.Database;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.TestDatabase;
import picocli.CommandLine;

class GatewayMainTest {
  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = GatewayMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void checkConfig_goodFile_exitsZeroWithASummary() throws Exception {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), Fixtures.YAML);

    int code = run("check-config", file.toString());

    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("OK: " + file + ": 1 site, 2 agents, 3 units.")
        .contains("MQTT:   embedded broker on 127.0.0.1:0, anonymous clients (this machine only)")
        .contains("DB:     SQLite " + dir.toAbsolutePath().resolve("data").resolve("gateway.db"));
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void checkConfig_embeddedBrokerWithPasswordFile_countsTheAgentLogins_andNotesTheOtherUsers() throws Exception {
    Path passwd = Files.copy(Path.of("src/test/resources/broker/mosquitto-passwd"), dir.resolve("passwd"));
    Path file = Files.writeString(dir.resolve("gateway.yaml"), Fixtures.YAML.replace("""
          embedded:
            port: 0
        """, """
          embedded:
            bind: 0.0.0.0
            port: 0
            passwordFile: passwd
        """));

    int code = run("check-config", file.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).containsSubsequence(
        "MQTT:   embedded broker on 0.0.0.0:0, logins of 5 agents from " + passwd,
        "note:   " + passwd + ":15: user [sangfroid-gateway] is for Mosquitto",
        "note:   " + passwd + ":16: user [monitoring] is not SITE/AGENT");
  }

  @Test
  void checkConfig_fileWithProblems_exitsTwoAndListsEachAsFileLineWhat() throws Exception {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), """
        dataDir: ./data
        http:
          port: http
        sites:
          - id: alarms
        """);

    int code = run("check-config", file.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(
        file + ":3: http.port [http] must be a whole number from 0 to 65535.",
        file + ":5: sites[0].id [alarms] must not be alarms or gateway (reserved MQTT topic names).",
        "2 problems in " + file);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void checkConfig_missingFile_exitsTwoSayingWhy() {
    int code = run("check-config", dir.resolve("nope.yaml").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith(dir.resolve("nope.yaml") + ": cannot be read");
  }

  @Test
  void run_fileWithProblems_exitsTwoWithoutStarting() throws Exception {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), "sites: []\n");

    int code = run("run", "--config", file.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains(file + ":1: dataDir is missing");
  }

  /** A database with three audit entries, as a gateway would leave it. */
  private Path auditedDatabase(Path db) {
    auditedDatabase(Database.sqlite(db));
    return db;
  }

  private static void auditedDatabase(Database db) {
    try (GatewayStore store = GatewayStore.open(db)) {
      AuditTrail trail = new AuditTrail(new MutableClock(Fixtures.T0));
      for (int i = 0; i < 3; i++) {
        store.write(tx -> trail.append(tx, AuditTrail.SYSTEM, "config.loaded", "gateway", Map.of("n", 1)));
      }
    }
  }

  @Test
  void checkConfig_postgresDatabase_saysWhereWithoutThePassword() throws Exception {
    Database db = new Database("jdbc:postgresql://db.example:5432/sangfroid", Optional.of("sangfroid"),
        Optional.of("s3cret"));
    Path file = Fixtures.postgresConfigFile(dir, db);

    int code = run("check-config", file.toString());

    assertThat(code).isZero();
    assertThat(out.toString()).contains("DB:     PostgreSQL jdbc:postgresql://db.example:5432/sangfroid as sangfroid")
        .doesNotContain("s3cret");
  }

  @Test
  void auditVerify_postgresDatabaseFromTheConfig_exitsZeroWithEntriesAndHead() throws Exception {
    try (TestDatabase db = TestDatabase.create(TestDatabase.Vendor.POSTGRESQL, dir)) {
      auditedDatabase(db.database());
      Path file = Fixtures.postgresConfigFile(dir, db.database());

      int code = run("audit", "verify", "--config", file.toString());

      assertThat(code).as(err.toString()).isZero();
      assertThat(out.toString()).matches("Audit trail OK: 3 entries, head seq 3 hash [0-9a-f]{64}\\R");
    }
  }

  @Test
  void auditVerify_postgresPasswordFileGone_exitsTwoSayingWhichFile() throws Exception {
    Database db = new Database("jdbc:postgresql://127.0.0.1:1/sangfroid", Optional.of("sangfroid"),
        Optional.of("s3cret"));
    Path file = Fixtures.postgresConfigFile(dir, db);
    Files.delete(dir.resolve("db.secret"));

    int code = run("audit", "verify", "--config", file.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith(file + ":").contains("database.passwordFile [db.secret] must be a readable file");
  }

  @Test
  void auditVerify_intactTrail_exitsZeroWithEntriesAndHead() throws Exception {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), Fixtures.YAML);
    Path db = auditedDatabase(dir.resolve("data").resolve(GatewayApp.DATABASE));

    int byConfig = run("audit", "verify", "--config", file.toString());
    int byDb = run("audit", "verify", "--db", db.toString());

    assertThat(byConfig).isZero();
    assertThat(byDb).isZero();
    assertThat(out.toString().lines()).hasSize(2).allSatisfy(line ->
        assertThat(line).matches("Audit trail OK: 3 entries, head seq 3 hash [0-9a-f]{64}"));
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void auditVerify_tamperedTrail_exitsOneListingEachProblem() throws Exception {
    Path db = auditedDatabase(dir.resolve("gateway.db"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE audit_trail SET details = '{\"n\":2}' WHERE seq = 1");
      s.executeUpdate("DELETE FROM audit_trail WHERE seq = 2");
    }

    int code = run("audit", "verify", "--db", db.toString());

    assertThat(code).isEqualTo(1);
    assertThat(out.toString().lines()).containsExactly(
        "entry 1: altered (its hash does not match its content)",
        "entry 2: missing (deleted)",
        "Audit trail NOT intact: 2 problems in 2 entries (" + db + ").");
  }

  @Test
  void auditVerify_missingDatabase_exitsTwoWithoutCreatingIt() {
    Path db = dir.resolve("nope.db");

    int code = run("audit", "verify", "--db", db.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("The audit trail cannot be verified: database [" + db + "] does not exist.");
    assertThat(db).doesNotExist();
  }

  @Test
  void auditVerify_neitherConfigNorDb_isAUsageError() {
    assertThat(run("audit", "verify")).isEqualTo(2);
    assertThat(err.toString()).contains("--config").contains("--db");
  }

  @Test
  void help_listsTheCommandsForAnOperator() {
    int code = run("--help");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("Usage: sangfroid-gateway").contains("run").contains("check-config").contains("audit")
        .contains("Exit codes");
  }

  @Test
  void version_saysWhichBuild() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("sangfroid-gateway ");
  }

  @Test
  void noCommand_isAUsageErrorWithExitTwo() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing a command: run, check-config, audit, notify-test or user.");
  }

  @Test
  void notifyTest_sendsATestMessageThroughEveryChannel_andSaysWhichFailed() throws Exception {
    Files.writeString(dir.resolve("hook.secret"), "k\n");
    Path file = Files.writeString(dir.resolve("gateway.yaml"), Fixtures.YAML.replace("    name: Casablanca regional transfusion centre\n",
        "    name: Casablanca regional transfusion centre\n"
            + "    escalation:\n      steps:\n        - after: 15m\n          email: [oncall@casa.example]\n") + """
        notify:
          email:
            smtp: { host: 127.0.0.1, port: %d }
            from: sangfroid@casa.example
            to: [qa@casa.example]
          webhooks:
            - url: http://127.0.0.1:1/nobody-listens
              secretFile: hook.secret
        """.formatted(MAIL.getSmtp().getPort()));

    int code = run("notify-test", "--config", file.toString(), "--by", "s.idrissi", "--on-call");

    assertThat(code).as(err.toString()).isEqualTo(1);
    assertThat(out.toString())
        .contains("email    ok     qa@casa.example")
        .contains("email    ok     oncall@casa.example")
        .contains("webhook  FAILED http://127.0.0.1:1/nobody-listens")
        .contains("At least one channel did NOT accept the message");
    MimeMessage[] mails = MAIL.getReceivedMessages();
    assertThat(mails).hasSize(2);
    assertThat(mails[0].getSubject()).isEqualTo("[Sangfroid] TEST message: notifications reach you (no action needed)");
    assertThat(((String) mails[0].getContent())).contains("alarm drill by s.idrissi");
  }

  @Test
  void notifyTest_withoutANotifySection_exitsTwoAndSaysSo() throws Exception {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), Fixtures.YAML);

    assertThat(run("notify-test", "-c", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("there is no notify section");
  }

  // ---- issue 5: user add ----

  @Test
  void userAdd_withPasswordFile_addsTheUserWhoCanThenLogIn() throws Exception {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), Fixtures.YAML);
    Path secret = Files.writeString(dir.resolve("pw"), "correct horse battery\n");

    int code = run("user", "add", "--config", file.toString(), "--name", "admin", "--role", "admin",
        "--language", "fr", "--password-file", secret.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("User admin added (admin, fr). They can log in at the web app now.\n");
    try (GatewayStore store = GatewayStore.open(dir.resolve("data").resolve("gateway.db"))) {
      org.sangfroid.gateway.user.Users users = new org.sangfroid.gateway.user.Users(store, java.time.Clock.systemUTC());
      assertThat(users.login("admin", "correct horse battery")).isPresent();
      assertThat(store.lastAuditEntry("user.added").orElseThrow().actor()).isEqualTo(AuditTrail.SYSTEM);
    }
  }

  @Test
  void userAdd_withEmail_storesTheAddress() throws Exception {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), Fixtures.YAML);
    Path secret = Files.writeString(dir.resolve("pw"), "correct horse battery\n");

    int code = run("user", "add", "--config", file.toString(), "--name", "k.amrani", "--role", "qm",
        "--language", "fr", "--email", "k.amrani@casa.example", "--password-file", secret.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("User k.amrani added (qm, fr, k.amrani@casa.example).");
    try (GatewayStore store = GatewayStore.open(dir.resolve("data").resolve("gateway.db"))) {
      assertThat(store.user("k.amrani").orElseThrow().email()).contains("k.amrani@casa.example");
    }
  }

  @Test
  void userAdd_weakPasswordOrBadRole_isRefusedSayingWhy() throws Exception {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), Fixtures.YAML);
    Path secret = Files.writeString(dir.resolve("pw"), "secret\n");

    int weak = run("user", "add", "-c", file.toString(), "--name", "ana", "--role", "qm", "--password-file",
        secret.toString());
    int role = run("user", "add", "-c", file.toString(), "--name", "ana", "--role", "boss", "--password-file",
        secret.toString());

    assertThat(weak).isEqualTo(1);
    assertThat(role).isEqualTo(2);
    assertThat(err.toString()).contains("The password must be at least 12 characters long, found 6.")
        .contains("--role [boss] must be viewer, technician, qm or admin.");
  }

  @Test
  void userAdd_withoutConsoleOrPasswordFile_saysWhatToDo() throws Exception {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), Fixtures.YAML);

    int code = run("user", "add", "-c", file.toString(), "--name", "ana", "--role", "qm");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("No console to ask for the password: run this in a terminal, or give"
        + " --password-file FILE.");
  }
}
