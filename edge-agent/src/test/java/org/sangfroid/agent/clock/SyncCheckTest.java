package org.sangfroid.agent.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncCheckTest {
  @TempDir Path dir;

  @Test
  void timesyncd_isSynchronisedOnceItsFlagFileExists() throws Exception {
    Path flag = dir.resolve("run/systemd/timesync/synchronized");
    SyncCheck check = SyncCheck.timesyncd(flag);

    assertThat(check.synchronised()).isFalse();
    Files.createDirectories(flag.getParent());
    Files.createFile(flag);
    assertThat(check.synchronised()).isTrue();
  }

  @Test
  void command_isSynchronisedOnlyWhenItAnswersYes() {
    assertThat(SyncCheck.command(List.of("sh", "-c", "echo yes"), Duration.ofSeconds(5)).synchronised()).isTrue();
    assertThat(SyncCheck.command(List.of("sh", "-c", "echo no"), Duration.ofSeconds(5)).synchronised()).isFalse();
    assertThat(SyncCheck.command(List.of("sh", "-c", "echo yes; exit 1"), Duration.ofSeconds(5)).synchronised())
        .isFalse();
  }

  @Test
  void command_thatCannotRunOrHangs_isNotSynchronised() {
    assertThat(SyncCheck.command(List.of(dir.resolve("no-such-command").toString()), Duration.ofSeconds(5))
        .synchronised()).isFalse();
    long start = System.nanoTime();
    assertThat(SyncCheck.command(List.of("sleep", "10"), Duration.ofMillis(200)).synchronised()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void buildDate_isReadFromTheManifest_andFallsBackWhenAbsentOrBad() {
    Manifest m = new Manifest();
    assertThat(BuildDate.fromManifest(m)).isEmpty();
    m.getMainAttributes().put(new Attributes.Name(BuildDate.ATTRIBUTE), "2026-11-23T00:00:00Z");
    assertThat(BuildDate.fromManifest(m)).contains(Instant.parse("2026-11-23T00:00:00Z"));
    m.getMainAttributes().put(new Attributes.Name(BuildDate.ATTRIBUTE), "${project.build.outputTimestamp}");
    assertThat(BuildDate.fromManifest(m)).isEmpty();
    // Run from classes (this test): no jar manifest, the fallback.
    assertThat(BuildDate.of(TimeBase.class)).isEqualTo(BuildDate.FALLBACK);
  }
}
