package org.sangfroid.gateway;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.gateway.audit.AuditReport;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.audit.AuditVerifier;
import org.sangfroid.gateway.broker.PasswordFile;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.config.GatewayConfig.Embedded;
import org.sangfroid.gateway.config.GatewayConfig.External;
import org.sangfroid.gateway.notify.Channel;
import org.sangfroid.gateway.notify.MailLanguages;
import org.sangfroid.gateway.notify.Notification;
import org.sangfroid.gateway.store.Database;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.StoreException;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Passwords;
import org.sangfroid.gateway.user.Role;
import org.sangfroid.gateway.user.Users;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code sangfroid-gateway} command line: {@code run}, {@code check-config}, {@code audit verify},
 * {@code notify-test} and {@code user add}.
 */
@Command(
    name = "sangfroid-gateway",
    mixinStandardHelpOptions = true,
    versionProvider = GatewayMain.Version.class,
    description = {
      "The Sangfroid gateway: receives readings from edge agents over MQTT,",
      "stores them, checks them against each unit's storage rules and raises",
      "alarms. Serves a JSON API and metrics.",
    },
    subcommands = {GatewayMain.Run.class, GatewayMain.CheckConfig.class, GatewayMain.Audit.class,
        GatewayMain.NotifyTest.class, GatewayMain.UserCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 the gateway could not start (audit verify: the trail has problems),",
        "2 bad configuration or arguments."})
public final class GatewayMain implements Runnable {
  /** Exit code for a configuration with problems (also picocli's code for bad arguments). */
  static final int BAD_CONFIG = 2;
  /** Exit code when the gateway cannot start (port taken, database unreadable…). */
  static final int CANNOT_START = 1;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, for {@code main} and tests. */
  static CommandLine commandLine() {
    return new CommandLine(new GatewayMain());
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "Missing a command: run, check-config, audit, notify-test or user.");
  }

  @Command(name = "run", description = "Runs the gateway until it is stopped (Ctrl-C or SIGTERM).",
      mixinStandardHelpOptions = true)
  static final class Run implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
        description = "The gateway's YAML configuration file.")
    Path config;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      GatewayConfig c;
      try {
        c = GatewayConfig.load(config);
      } catch (ConfigException e) {
        e.problems().forEach(err::println);
        err.flush();
        return BAD_CONFIG;
      }
      GatewayApp app;
      try {
        app = GatewayApp.start(c, Clock.systemUTC());
      } catch (RuntimeException e) {
        err.println("The gateway could not start: " + e.getMessage());
        err.flush();
        return CANNOT_START;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        app.close();
        stopped.countDown();
      }, "sangfroid-shutdown"));
      String base = "http://" + host(c.http().bind()) + ":" + app.httpPort();
      out.println("Sangfroid gateway running.");
      out.println("  Web app: " + base + "/");
      out.println("  API:     " + base + "/api/units");
      out.println("  Health:  " + base + "/api/health");
      out.println("  Metrics: " + base + "/metrics");
      out.println("  MQTT:    " + app.brokerUrl());
      out.println("Stop with Ctrl-C.");
      out.flush();
      stopped.await();
      return 0;
    }

    private static String host(String bind) {
      if (Set.of("0.0.0.0", "::", "[::]").contains(bind)) {
        return "localhost";
      }
      return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
    }
  }

  @Command(name = "check-config", mixinStandardHelpOptions = true,
      description = {"Checks a configuration file without starting anything.",
          "Lists every problem as file:line: what, or prints a short summary."})
  static final class CheckConfig implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The gateway's YAML configuration file.")
    Path file;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      GatewayConfig c;
      try {
        c = GatewayConfig.load(file);
      } catch (ConfigException e) {
        e.problems().forEach(err::println);
        err.println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems") + " in " + file);
        err.flush();
        return BAD_CONFIG;
      }
      Fleet fleet = c.fleet();
      out.println("OK: " + file + ": " + count(fleet.sites().size(), "site") + ", "
          + count(fleet.agents().size(), "agent") + ", " + count(fleet.units().size(), "unit") + ".");
      out.println("  data:   " + c.dataDir());
      out.println("  DB:     " + c.database().map(pg -> "PostgreSQL " + pg.url() + pg.username().map(u -> " as " + u)
          .orElse("")).orElse("SQLite " + c.dataDir().resolve(GatewayApp.DATABASE)));
      out.println("  HTTP:   " + c.http().bind() + ":" + c.http().port());
      if (c.broker() instanceof Embedded e) {
        List<String> notes = new ArrayList<>();
        out.println("  MQTT:   embedded broker on " + e.bind() + ":" + e.port() + logins(e, notes));
        notes.forEach(note -> out.println("  note:   " + note));
      } else if (c.broker() instanceof External x) {
        out.println("  MQTT:   external broker " + x.url() + x.username().map(u -> " as " + u).orElse(""));
      }
      out.println("  tick:   " + c.engine().tick().toSeconds() + " s");
      out.flush();
      return 0;
    }

    /** Who may log in, for the MQTT line; the password file's ignored users go to {@code notes}. */
    private static String logins(Embedded e, List<String> notes) {
      if (e.passwordFile().isEmpty()) {
        return ", anonymous clients (this machine only)";
      }
      Path file = e.passwordFile().get();
      try {
        PasswordFile passwords = PasswordFile.read(file);
        notes.addAll(passwords.ignored());
        return ", logins of " + count(passwords.users().size(), "agent") + " from " + file;
      } catch (IOException ex) {
        return ", logins from " + file + " (" + ex.getMessage() + ")"; // checked readable a moment ago
      }
    }

    private static String count(int n, String noun) {
      return n + " " + noun + (n == 1 ? "" : "s");
    }
  }

  @Command(name = "notify-test", mixinStandardHelpOptions = true,
      description = {"Alarm drill: sends a test message through every notification channel.",
          "Tries the configuration's e-mail recipients and each webhook, and says whether each accepted it.",
          "It sends directly, whether or not the gateway is running, and changes nothing. Ask the",
          "recipients to confirm they received it, and record the drill as your procedures require."},
      footer = {"", "Exit codes: 0 every channel accepted the message, 1 at least one did not,",
          "2 bad configuration or arguments (or no notify section)."})
  static final class NotifyTest implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
        description = "The gateway's YAML configuration file.")
    Path config;

    @Option(names = "--by", paramLabel = "NAME", description = "Who runs the drill, written in the message "
        + "(default: the login name).")
    String by;

    @Option(names = "--on-call", description = "Also e-mail everyone named in the sites' escalation steps.")
    boolean onCall;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      GatewayConfig c;
      try {
        c = GatewayConfig.load(config);
      } catch (ConfigException e) {
        e.problems().forEach(err::println);
        err.flush();
        return BAD_CONFIG;
      }
      if (c.notifications().isEmpty()) {
        err.println(config + ": there is no notify section, so the gateway sends no notifications to test.");
        err.flush();
        return BAD_CONFIG;
      }
      GatewayConfig.Notify n = c.notifications().get();
      String who = by != null && !by.isBlank() ? by : System.getProperty("user.name", "unknown");
      String base = n.publicUrl().orElse("http://" + c.http().bind() + ":" + c.http().port());
      Notification message = Notification.test(base, "alarm drill by " + who);
      List<Channel> channels;
      GatewayStore store = null;
      Database db = GatewayApp.database(c);
      try {
        // the web users' languages; a gateway that never ran has none, and no database is created for them
        if (db.file().isEmpty() || Files.isRegularFile(db.file().get())) {
          store = GatewayStore.open(db);
        }
      } catch (StoreException e) {
        err.println("Note: the web users cannot be read (" + e.getMessage() + "): each e-mail is in its site's or the"
            + " gateway's language.");
      }
      try {
        Optional<GatewayStore> users = Optional.ofNullable(store);
        MailLanguages languages = MailLanguages.of(c, address -> users.flatMap(st -> st.userByEmail(address))
            .flatMap(u -> Language.fromWire(u.language())));
        channels = Channel.of(n, Clock.systemUTC(), languages, c.http().timeZone());
      } catch (RuntimeException e) {
        if (store != null) {
          store.close();
        }
        err.println("The notification channels cannot be set up: " + e.getMessage());
        err.flush();
        return BAD_CONFIG;
      }
      try {
        return drill(out, c, message, base, who, channels);
      } finally {
        if (store != null) {
          store.close();
        }
      }
    }

    private Integer drill(PrintWriter out, GatewayConfig c, Notification message, String base, String who,
        List<Channel> channels) {
      List<String[]> rows = new ArrayList<>();
      boolean allOk = true;
      for (Channel ch : channels) {
        allOk &= attempt(rows, ch.name(), ch.target(), () -> ch.notifier().deliver(message));
        if (onCall && ch.name().equals(Channel.EMAIL)) {
          Set<String> people = new LinkedHashSet<>();
          c.sites().forEach(site -> site.escalation().ifPresent(e -> e.steps().forEach(st -> people.addAll(st.email()))));
          if (!people.isEmpty()) {
            Notification toOnCall = new Notification(Notification.Event.TEST, Optional.empty(), base, 0,
                List.copyOf(people), message.note());
            allOk &= attempt(rows, ch.name(), String.join(", ", people), () -> ch.notifier().deliver(toOnCall));
          }
        }
      }
      out.println("Alarm drill: a test message through every channel (" + Instant.now() + ", by "
          + who + ")");
      out.println(String.format("%-8s %-6s %s", "channel", "result", "target"));
      for (String[] r : rows) {
        out.println(String.format("%-8s %-6s %s", r[0], r[1], r[2]));
      }
      out.println(allOk ? "Every channel accepted the message. Ask the recipients to confirm they received it."
          : "At least one channel did NOT accept the message: alarms would not reach those people. Fix it and run"
              + " the drill again.");
      out.flush();
      return allOk ? 0 : 1;
    }

    private static boolean attempt(List<String[]> rows, String channel, String target, Runnable send) {
      try {
        send.run();
        rows.add(new String[] {channel, "ok", target});
        return true;
      } catch (RuntimeException e) {
        rows.add(new String[] {channel, "FAILED", target + "\n" + " ".repeat(16) + "(" + e.getMessage() + ")"});
        return false;
      }
    }
  }

  @Command(name = "audit", mixinStandardHelpOptions = true,
      description = "The audit trail of alarm transitions and configuration changes.",
      subcommands = {AuditVerify.class})
  static final class Audit implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: verify.");
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Checks that no entry of the audit trail was altered, deleted or inserted,",
          "and prints the head (newest seq and hash). Reads the database only; it can run",
          "beside a running gateway. Removal of the newest entries cannot be seen from the",
          "database alone: compare the head with one kept elsewhere (the gateway logs it)."},
      footer = {"", "Exit codes: 0 the trail is intact, 1 problems found (each printed), 2 bad configuration,",
          "arguments, or a database that cannot be read."})
  static final class AuditVerify implements Callable<Integer> {
    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
      @Option(names = {"-c", "--config"}, paramLabel = "FILE",
          description = "The gateway's YAML configuration file: its database (PostgreSQL), or dataDir/gateway.db.")
      Path config;

      @Option(names = "--db", paramLabel = "FILE", description = "The gateway's SQLite database file (gateway.db).")
      Path db;
    }

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Database db;
      if (source.db != null) {
        db = Database.sqlite(source.db);
      } else {
        try {
          db = GatewayApp.database(GatewayConfig.load(source.config));
        } catch (ConfigException e) {
          e.problems().forEach(err::println);
          err.flush();
          return BAD_CONFIG;
        } catch (UncheckedIOException e) {
          err.println("The audit trail cannot be verified: " + e.getMessage());
          err.flush();
          return BAD_CONFIG;
        }
      }
      AuditVerifier verifier = new AuditVerifier();
      try {
        GatewayStore.scanAuditTrail(db, verifier::accept);
      } catch (StoreException e) {
        err.println("The audit trail cannot be verified: " + e.getMessage());
        err.flush();
        return BAD_CONFIG;
      }
      AuditReport report = verifier.report();
      if (report.ok()) {
        report.lines().forEach(out::println);
        out.flush();
        return 0;
      }
      report.lines().forEach(out::println);
      out.println("Audit trail NOT intact: " + report.problems().size()
          + (report.problems().size() == 1 ? " problem" : " problems") + " in " + report.entries() + " entries ("
          + db.name() + ").");
      out.flush();
      return 1;
    }
  }

  @Command(name = "user", mixinStandardHelpOptions = true,
      description = "The people who log in to the web app.", subcommands = {UserAdd.class})
  static final class UserCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: add.");
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Adds a user who can log in to the web app (the first admin, for instance).",
          "Asks for the password twice, or reads it from --password-file. A password has at least "
              + Passwords.MIN_LENGTH + " characters. Written to the audit trail (user.added). Can run beside a"
              + " running gateway."},
      footer = {"", "Roles: viewer (reads), technician (also records restocks), qm (quality manager: also",
          "acknowledges and closes alarms), admin (everything, and users).",
          "", "Exit codes: 0 added, 1 refused (name taken, weak password…), 2 bad configuration or arguments."})
  static final class UserAdd implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
        description = "The gateway's YAML configuration file (its database is where users are kept).")
    Path config;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The login name.")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE",
        description = "viewer, technician, qm or admin.")
    String role;

    @Option(names = "--language", paramLabel = "LANG", defaultValue = "en",
        description = "The web app's language for this user: en or fr (default: ${DEFAULT-VALUE}).")
    String language;

    @Option(names = "--password-file", paramLabel = "FILE",
        description = "Read the password from the first line of FILE instead of asking (for scripts).")
    Path passwordFile;

    @Option(names = "--email", paramLabel = "ADDRESS",
        description = "The user's e-mail address (optional). Alarm e-mails sent to it come in the user's language.")
    String email;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<Role> r = Role.fromWire(role == null ? "" : role.trim());
      Optional<Language> lang = Language.fromWire(language == null ? "" : language.trim());
      if (r.isEmpty() || lang.isEmpty()) {
        r.ifPresentOrElse(x -> { }, () -> err.println(Checks.message("--role", role, "be viewer, technician, qm or admin")));
        lang.ifPresentOrElse(x -> { }, () -> err.println(Checks.message("--language", language, "be en or fr")));
        err.flush();
        return BAD_CONFIG;
      }
      GatewayConfig c;
      try {
        c = GatewayConfig.load(config);
      } catch (ConfigException e) {
        e.problems().forEach(err::println);
        err.flush();
        return BAD_CONFIG;
      }
      char[] password;
      try {
        Optional<char[]> p = password(err);
        if (p.isEmpty()) {
          err.flush();
          return BAD_CONFIG;
        }
        password = p.get();
      } catch (IOException e) {
        err.println("--password-file [" + passwordFile + "] cannot be read: " + e.getMessage());
        err.flush();
        return BAD_CONFIG;
      }
      String via = "command line, operating-system user " + System.getProperty("user.name", "unknown");
      Users.Added added;
      try (GatewayStore store = GatewayStore.open(GatewayApp.database(c))) {
        added = new Users(store, Clock.systemUTC()).add(AuditTrail.SYSTEM, via, name, r.get(), lang.get(),
            Optional.ofNullable(email).filter(e -> !e.isBlank()), password);
      } catch (StoreException | UncheckedIOException e) {
        err.println("The user cannot be added: " + e.getMessage());
        err.flush();
        return BAD_CONFIG;
      } finally {
        Arrays.fill(password, '\0');
      }
      if (added instanceof Users.Refused refused) {
        refused.problems().forEach(err::println);
        err.flush();
        return 1;
      }
      out.println("User " + name + " added (" + r.get().wire() + ", " + lang.get().wire()
          + (email == null || email.isBlank() ? "" : ", " + email.strip()) + "). They can log in at the"
          + " web app now.");
      out.flush();
      return 0;
    }

    /** The password from the file, or typed twice at the console; empty (said why) otherwise. */
    private Optional<char[]> password(PrintWriter err) throws IOException {
      if (passwordFile != null) {
        List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
        return Optional.of((lines.isEmpty() ? "" : lines.get(0)).toCharArray());
      }
      Console console = System.console();
      if (console == null) {
        err.println("No console to ask for the password: run this in a terminal, or give --password-file FILE.");
        return Optional.empty();
      }
      char[] first = console.readPassword("Password for %s (at least %d characters): ", name, Passwords.MIN_LENGTH);
      char[] second = console.readPassword("The same password again: ");
      if (first == null || second == null || !Arrays.equals(first, second)) {
        err.println("The two passwords differ: nothing was added.");
        return Optional.empty();
      }
      Arrays.fill(second, '\0');
      return Optional.of(first);
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = GatewayMain.class.getPackage().getImplementationVersion();
      return new String[] {"sangfroid-gateway " + (v == null ? "(development build)" : v)};
    }
  }
}
