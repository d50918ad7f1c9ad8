package org.sangfroid.demo.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteConfig;

/**
 * A JVM in a child process (the edge agent from its jar, or an idle JVM for the baseline),
 * optionally under {@code strace}, with the figures Linux keeps about it. Stopped with SIGTERM,
 * as systemd stops the agent, by its process id.
 */
final class AgentProcess implements AutoCloseable {
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final Process process;
  private final long javaPid;
  private final Path log;
  /** Kills the child if the bench is stopped (Ctrl-C) before it is. */
  private final Thread onExit;

  private AgentProcess(Process process, long javaPid, Path log) {
    this.process = process;
    this.javaPid = javaPid;
    this.log = log;
    this.onExit = new Thread(this::kill, "bench-child-kill");
  }

  /** Peak and current resident memory of a process, from {@code /proc/PID/status}, in kB. */
  record Memory(long peakKb, long nowKb) {
    double peakMb() {
      return peakKb / 1024.0;
    }

    double nowMb() {
      return nowKb / 1024.0;
    }

    /** Parses the {@code VmHWM:} and {@code VmRSS:} lines of a {@code /proc/PID/status} text. */
    static Memory parse(String status) {
      long hwm = -1;
      long rss = -1;
      for (String line : status.split("\n")) {
        if (line.startsWith("VmHWM:")) {
          hwm = kb(line);
        } else if (line.startsWith("VmRSS:")) {
          rss = kb(line);
        }
      }
      if (hwm < 0 || rss < 0) {
        throw new BenchException("no VmHWM/VmRSS in the process status", null);
      }
      return new Memory(hwm, rss);
    }

    private static long kb(String line) {
      return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
  }

  /** The java that runs this bench, to run the children with the same version. */
  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** Where {@code name} is on the PATH, if it is. */
  static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Starts {@code command} (a java command line) with {@code env} added to the bench's environment,
   * its output appended to {@code log}. With
   * {@code straceLog}, under {@code strace}, which writes every fsync and fdatasync of every thread
   * there with its time (epoch seconds) and the file it was for.
   */
  static AgentProcess start(List<String> command, Map<String, String> env, Path log, Optional<Path> strace,
      Optional<Path> straceLog) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (straceLog.isPresent()) {
      cmd.addAll(List.of(strace.orElseThrow().toString(), "-f", "-qq", "--seccomp-bpf", "-y", "-ttt",
          "-e", "trace=fsync,fdatasync", "-e", "signal=none", "-o", straceLog.get().toString()));
    }
    cmd.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    Process p = builder.start();
    long pid = p.pid();
    if (straceLog.isPresent()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      Optional<ProcessHandle> child = Optional.empty();
      while (child.isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
        // The JVM, once strace has started it: strace first forks short-lived children of its
        // own (to probe seccomp), and the tracee is strace's image until it execs java.
        child = p.toHandle().children().filter(AgentProcess::isJava).findFirst();
        if (child.isEmpty()) {
          Thread.sleep(10);
        }
      }
      if (child.isEmpty()) {
        p.destroyForcibly();
        throw new BenchException("strace did not start the agent; see " + log, null);
      }
      pid = child.get().pid();
    }
    AgentProcess started = new AgentProcess(p, pid, log);
    try {
      Runtime.getRuntime().addShutdownHook(started.onExit);
    } catch (IllegalStateException e) { // the bench is being stopped: so is this child
      started.kill();
      throw new BenchException("stopped", e);
    }
    return started;
  }

  private static boolean isJava(ProcessHandle h) {
    return h.info().command().map(c -> Path.of(c).getFileName().toString().equals("java")).orElse(false);
  }

  boolean isAlive() {
    return ProcessHandle.of(javaPid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Waits {@code d}, failing at once if the process dies meanwhile. */
  void run(Duration d) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < deadline) {
      if (!isAlive()) {
        throw new BenchException("the process stopped by itself; its last lines:\n" + tail(), null);
      }
      process.waitFor(Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS);
    }
  }

  Memory memory() throws IOException {
    return Memory.parse(Files.readString(Path.of("/proc/" + javaPid + "/status")));
  }

  String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }

  /** The highest seq an outbox file has given (0 if none), read without disturbing its writer. */
  static long outboxSeq(Path outboxFile) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(5_000);
    try (Connection c = config.createConnection("jdbc:sqlite:" + outboxFile.toAbsolutePath());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * SIGTERM to the JVM (as systemd stops the agent), then waits; SIGKILL if it does not stop.
   * Idempotent; strace writes the rest of its log when its tracee has stopped.
   */
  void stop() {
    ProcessHandle.of(javaPid).ifPresent(ProcessHandle::destroy);
    try {
      if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException e) {
      // the JVM is already exiting: the hook kills the child
    }
  }

  private void kill() {
    ProcessHandle.of(javaPid).ifPresent(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
