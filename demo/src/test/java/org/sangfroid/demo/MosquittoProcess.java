package org.sangfroid.demo;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code mosquitto} as a child process on a free loopback port, configured from the
 * shipped {@code deploy/mosquitto} files, and the shipped {@code sangfroid-credentials} script.
 */
final class MosquittoProcess implements AutoCloseable {
  /** The Debian package that provides {@code mosquitto} and {@code mosquitto_passwd}. */
  static final String APT_PACKAGE = "mosquitto";

  /** Keys that belong to a listener (used to find the shipped, commented-out optional listener). */
  private static final Set<String> LISTENER_KEYS = Set.of("listener", "protocol", "cafile", "capath", "certfile",
      "keyfile", "tls_version", "ciphers", "ciphers_tls1.3", "require_certificate", "use_identity_as_username",
      "use_subject_as_username", "crlfile", "dhparamfile", "bind_interface", "socket_domain", "max_connections",
      "mount_point", "use_username_as_clientid", "http_dir", "psk_hint");
  /** Where the shipped configuration expects certificates; the test puts them in its folder. */
  private static final String CERT_DIR = "/etc/mosquitto/sangfroid/";
  /** The shipped listeners: TLS for agents, plain loopback for a local gateway, client certificates. */
  static final int TLS = 8883;
  static final int PLAIN = 1883;
  static final int CERT = 8884;

  final Path dir;
  /** Shipped listener port to the free loopback port used instead. */
  final Map<Integer, Integer> ports;
  final Path log;
  private final Process process;

  private MosquittoProcess(Path dir, Map<Integer, Integer> ports, Path log, Process process) {
    this.dir = dir;
    this.ports = Map.copyOf(ports);
    this.log = log;
    this.process = process;
  }

  // ---- the shipped files ----

  /** The repository's root: the folder that holds deploy/mosquitto. */
  static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("deploy/mosquitto/sangfroid.conf"))) {
        return p;
      }
    }
    throw new IllegalStateException("deploy/mosquitto/sangfroid.conf not found above " + Path.of("").toAbsolutePath());
  }

  static Path shippedConf() {
    return repoRoot().resolve("deploy/mosquitto/sangfroid.conf");
  }

  static Path shippedAcl() {
    return repoRoot().resolve("deploy/mosquitto/sangfroid.acl");
  }

  static Path credentialsScript() {
    return repoRoot().resolve("deploy/bin/sangfroid-credentials");
  }

  /** {@code mosquitto}, on the PATH or in /usr/sbin (not on a normal user's PATH). */
  static Optional<Path> executable() {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.add("/usr/sbin");
    return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, "mosquitto"))
        .filter(Files::isExecutable).findFirst();
  }

  /**
   * The shipped configuration, adapted for a test: each listener on 127.0.0.1 and the free port
   * {@code ports} gives for its shipped port, the optional client-certificate listener
   * uncommented, and file paths under {@code dir}. Every other setting (authentication, ACL,
   * queue limits, persistence, TLS) stays as shipped.
   */
  static String testConfig(String shipped, Map<Integer, Integer> ports, Path dir) {
    Map<String, String> replace = new LinkedHashMap<>();
    replace.put("user", System.getProperty("user.name")); // without root, mosquitto ignores it
    replace.put("pid_file", dir.resolve("mosquitto.pid").toString());
    replace.put("password_file", dir.resolve("passwd").toString());
    replace.put("acl_file", dir.resolve("acl").toString());
    replace.put("persistence_location", dir.resolve("data") + "/");
    Set<String> found = new TreeSet<>();
    Set<Integer> listeners = new TreeSet<>();
    StringBuilder out = new StringBuilder("# Derived by MosquittoProcess from deploy/mosquitto/sangfroid.conf\n");
    boolean optionalListener = false;
    for (String line : shipped.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#listener ")) {
        optionalListener = true;
      }
      if (optionalListener && trimmed.startsWith("#") && LISTENER_KEYS.contains(trimmed.substring(1).split("\\s+")[0])) {
        trimmed = trimmed.substring(1);
      } else if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        optionalListener &= !trimmed.isEmpty();
        continue;
      }
      String[] words = trimmed.split("\\s+");
      String key = words[0];
      if (key.equals("listener")) {
        int port = Integer.parseInt(words[1]);
        if (!ports.containsKey(port)) {
          throw new IllegalStateException("the shipped sangfroid.conf has a listener on " + port
              + "; the test knows " + ports.keySet());
        }
        listeners.add(port);
        out.append("listener ").append(ports.get(port)).append(" 127.0.0.1\n");
      } else if (Set.of("cafile", "certfile", "keyfile").contains(key) && words[1].startsWith(CERT_DIR)) {
        out.append(key).append(' ').append(dir.resolve(words[1].substring(CERT_DIR.length()))).append('\n');
      } else if (replace.containsKey(key)) {
        found.add(key);
        out.append(key).append(' ').append(replace.get(key)).append('\n');
      } else {
        out.append(trimmed).append('\n');
      }
    }
    if (!found.equals(new TreeSet<>(replace.keySet()))) {
      throw new IllegalStateException("the shipped sangfroid.conf no longer sets " + replace.keySet()
          + "; found only " + found);
    }
    if (!listeners.equals(new TreeSet<>(ports.keySet()))) {
      throw new IllegalStateException("the shipped sangfroid.conf has listeners " + listeners
          + "; the test expects " + ports.keySet());
    }
    return out.toString();
  }

  /**
   * Starts mosquitto with the shipped configuration (see {@link #testConfig}) and the shipped
   * ACL, an empty password file, and the CA, server certificate and key already in {@code dir}
   * (ca.crt, server.crt, server.key); waits until every listener accepts connections.
   */
  static MosquittoProcess start(Path mosquitto, Path dir) {
    try {
      Files.createDirectories(dir.resolve("data"));
      Files.copy(shippedAcl(), dir.resolve("acl"));
      Files.writeString(dir.resolve("passwd"), "");
      Map<Integer, Integer> ports = Map.of(TLS, freePort(), PLAIN, freePort(), CERT, freePort());
      Path conf = dir.resolve("mosquitto.conf");
      Files.writeString(conf, testConfig(Files.readString(shippedConf()), ports, dir));
      Path log = dir.resolve("mosquitto.log");
      Process p = new ProcessBuilder(mosquitto.toString(), "-c", conf.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      MosquittoProcess broker = new MosquittoProcess(dir, ports, log, p);
      try {
        await("mosquitto listening on 127.0.0.1:" + ports.values()).atMost(Duration.ofSeconds(10))
            .until(() -> !p.isAlive() || ports.values().stream().allMatch(MosquittoProcess::accepts));
        if (!p.isAlive()) {
          throw new IllegalStateException("mosquitto exited with " + p.exitValue() + ":\n" + broker.logText());
        }
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The plain loopback listener, for a gateway on the broker's host. */
  String url() {
    return "tcp://127.0.0.1:" + ports.get(PLAIN);
  }

  /** The TLS listener for agents (password login). */
  String tlsUrl() {
    return "ssl://127.0.0.1:" + ports.get(TLS);
  }

  /** The optional TLS listener where a client certificate is the login. */
  String certUrl() {
    return "ssl://127.0.0.1:" + ports.get(CERT);
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Sends SIGHUP: mosquitto reads its password and ACL files again. */
  void reload() {
    try {
      int rc = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start().waitFor();
      if (rc != 0) {
        throw new IllegalStateException("kill -HUP " + process.pid() + " failed with " + rc);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops mosquitto (SIGTERM, then SIGKILL after 10 s) and waits until it is gone. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- certificates ----

  /**
   * A test CA (ca.crt, ca.key) and a server certificate for 127.0.0.1 signed by it
   * (server.crt, server.key) in {@code dir}, made with openssl as docs/brokers.md shows.
   */
  static void makeCertificates(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
          + "extendedKeyUsage=serverAuth\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Sangfroid test CA");
    openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
    openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-sha256", "-extfile", "server.ext", "-out", "server.crt");
  }

  private static void openssl(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      Path log = dir.resolve("openssl.log");
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(command + " failed:\n" + Files.readString(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code name} is an executable on the PATH. */
  static boolean onPath(String name) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .filter(d -> !d.isBlank()).anyMatch(d -> Files.isExecutable(Path.of(d, name)));
  }

  // ---- sangfroid-credentials ----

  /** What a run of the credentials script printed. */
  record Run(int exitCode, String stdout, String stderr) {}

  /** Runs the shipped {@code sangfroid-credentials} with {@code args}. */
  static Run credentials(Path workDir, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", credentialsScript().toString()));
    command.addAll(List.of(args));
    try {
      Files.createDirectories(workDir);
      Path out = Files.createTempFile(workDir, "credentials", ".out");
      Path err = Files.createTempFile(workDir, "credentials", ".err");
      Process p = new ProcessBuilder(command).directory(workDir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("sangfroid-credentials did not finish within 30 s: " + command);
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The rules of an ACL file: its lines without comments and blank lines, in order. */
  static List<String> aclRules(Path acl) {
    try (Stream<String> lines = Files.lines(acl)) {
      return lines.map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
