package org.sangfroid.demo.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sangfroid.simulator.bench.FleetBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./sangfroid bench}: one subcommand per part measured ({@code agent}, {@code gateway},
 * {@code web}, {@code simulator}: the simulator's own fleet bench, under this name too). Each prints the machine, the date and the
 * command, then one table; it exits 0 whether targets are met or not, and says which.
 */
@Command(
    name = "sangfroid bench",
    mixinStandardHelpOptions = true,
    versionProvider = BenchMain.Version.class,
    subcommands = {AgentBench.class, GatewayBench.class, WebBench.class},
    description = {
      "Measures Sangfroid's performance on this computer. Each bench measures a",
      "baseline in the same run (raw SQLite, the raw MQTT broker) and prints the",
      "ratio to it: on a shared or noisy machine the ratios hold better than the",
      "absolute figures. A missed target is reported, not an error: the command",
      "exits 0 once it has measured.",
      "",
      "Close other programs first; a bench takes a few minutes."
    })
public final class BenchMain implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Where the header and the table go (progress lines go to standard error). */
  final PrintStream out;

  public BenchMain() {
    this(System.out);
  }

  /** With the table printed to {@code out} (for tests). */
  public BenchMain(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    // Before any logger exists: component logs go to the bench's log file, not the console.
    System.setProperty("logback.configurationFile", "bench-logback.xml");
    System.exit(commandLine(new BenchMain()).execute(args));
  }

  /** The command line with every bench, the simulator's fleet bench among them. */
  public static CommandLine commandLine(BenchMain main) {
    // Named here as the user types it (its own name is "bench", for 'sangfroid simulator bench').
    return new CommandLine(main).addSubcommand("simulator",
        new CommandLine(new FleetBench.Command()).setCommandName("simulator"));
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    System.err.println();
    System.err.println("Name the bench to run, e.g. ./sangfroid bench agent");
    return 2;
  }

  /** Options every bench has. */
  static final class Common {
    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
        description = "Measured runs of each measure after one warm-up run; the table shows the median and"
            + " half the range (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--dir", paramLabel = "FOLDER",
        description = "Work folder for databases, configuration files and the log (default: a new temporary"
            + " folder, deleted at the end unless --keep).")
    Path dir;

    @Option(names = "--keep", description = "Keep the work folder (databases, configurations, bench.log).")
    boolean keep;

    void check(CommandSpec spec) {
      if (runs < 1 || runs > 20) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--runs [" + runs + "] must be from 1 to 20.");
      }
    }
  }

  /** A bench's work folder, its log, and its progress lines on standard error. */
  static final class Session implements AutoCloseable {
    final Path dir;
    final PrintStream out;
    private final boolean delete;

    Session(Common common, String name, PrintStream out) throws IOException {
      this.dir = common.dir != null ? Files.createDirectories(common.dir)
          : Files.createTempDirectory("sangfroid-bench-" + name + "-");
      this.delete = common.dir == null && !common.keep;
      this.out = out;
      // Read by bench-logback.xml when the first logger is made, which is after this.
      System.setProperty("sangfroid.bench.log", dir.resolve("bench.log").toString());
    }

    /** Prints what, where, when and how, above the table. */
    void header(String title, CommandSpec spec, Clock clock, String runs) {
      out.println(title + ", " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC).format(clock.instant()));
      out.println("Machine: " + Machine.here().describe());
      out.println("Command: ./sangfroid bench " + String.join(" ", spec.commandLine().getParseResult().originalArgs()
          .stream().map(a -> a.contains(" ") ? "\"" + a + "\"" : a).toList()));
      out.println(runs);
      out.println();
    }

    /** A progress line, on standard error so the table on standard output stays clean. */
    void progress(String line) {
      System.err.println("  " + line);
    }

    Path sub(String name) throws IOException {
      return Files.createDirectories(dir.resolve(name));
    }

    @Override
    public void close() throws IOException {
      if (delete) {
        deleteTree(dir);
      } else {
        out.println("Work folder kept: " + dir + " (the components' log is bench.log)");
      }
    }
  }

  /** Writes a configuration file (UTF-8) and returns it. */
  static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** Deletes a folder and everything in it; a missing folder is fine. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = BenchMain.class.getPackage().getImplementationVersion();
      return new String[] {"Sangfroid bench " + (v == null ? "(development build)" : v)};
    }
  }
}
