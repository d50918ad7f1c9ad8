package org.sangfroid.deploy;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs the Debian tools the package checks need, and requires them to be installed. */
final class PackageTools {
  private PackageTools() {}

  /** What a command printed (standard output and error, interleaved) and its exit code. */
  record Result(List<String> command, int exitCode, String output) {
    /** This result, after asserting that the command succeeded. */
    Result ok() {
      if (exitCode != 0) {
        fail("%s exited with %d:%n%s", String.join(" ", command), exitCode, output);
      }
      return this;
    }

    /** The output's lines. */
    List<String> lines() {
      return output.lines().toList();
    }
  }

  /**
   * Requires {@code tool} on the PATH. Without it the test is skipped, naming the Debian package
   * to install; on CI (CI=true), which installs them, it fails instead.
   */
  static Path require(String tool, String aptPackage) {
    Optional<Path> found = which(tool);
    if (found.isEmpty()) {
      String why = tool + " is not installed: apt-get install " + aptPackage;
      if ("true".equals(System.getenv("CI"))) {
        fail(why + " (CI installs it, so this check must not be skipped there)");
      }
      assumeTrue(false, why);
    }
    return found.orElseThrow();
  }

  /** {@code tool} on the PATH. */
  static Optional<Path> which(String tool) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)) && !Files.isDirectory(Path.of(dir, tool))) {
        return Optional.of(Path.of(dir, tool));
      }
    }
    return Optional.empty();
  }

  /** Runs {@code command} in {@code dir} with {@code env} added to this process's environment. */
  static Result run(Path dir, Map<String, String> env, List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("%s did not finish within 120 s", String.join(" ", command));
      }
      return new Result(command, p.exitValue(), out.get(10, TimeUnit.SECONDS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not read the output of " + command, e);
    }
  }

  static Result run(Path dir, List<String> command) {
    return run(dir, Map.of(), command);
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
