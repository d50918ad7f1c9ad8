package org.sangfroid.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Checks over the whole source tree that no module's own tests would see. */
class SourceTreeTest {
  /** A line git writes into a file when a merge conflicts, left behind by mistake. */
  private static final Pattern CONFLICT = Pattern.compile("^(<<<<<<< |=======$|>>>>>>> )");
  private static final Set<String> SKIPPED = Set.of(".git", "target", "node_modules", ".mvn");

  @Test
  void noFileKeepsAMergeConflictMarker() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize(); // the tests run in deploy/
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).filter(p -> !skipped(root, p)).toList()) {
        List<String> lines;
        try {
          lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
          continue; // not text (images, fonts)
        }
        for (int i = 0; i < lines.size(); i++) {
          if (CONFLICT.matcher(lines.get(i)).find()) {
            found.add(root.relativize(f) + ":" + (i + 1) + ": " + lines.get(i));
          }
        }
      }
    }
    assertThat(found).as("merge conflict markers").isEmpty();
  }

  private static boolean skipped(Path root, Path file) {
    for (Path part : root.relativize(file)) {
      if (SKIPPED.contains(part.toString())) {
        return true;
      }
    }
    return false;
  }
}
