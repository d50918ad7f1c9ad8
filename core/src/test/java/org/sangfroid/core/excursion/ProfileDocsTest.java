package org.sangfroid.core.excursion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The quality managers' guide lists every default profile and every alarm kind. */
class ProfileDocsTest {
  private static final Path GUIDE = Path.of("..", "docs", "quality-manager.md");

  @Test
  void guide_namesEveryProfileAndAlarmKind() throws Exception {
    String guide = Files.readString(GUIDE);
    assertThat(Profiles.ids()).allSatisfy(id -> assertThat(guide).contains("`" + id + "`"));
    for (AlarmKind kind : AlarmKind.values()) {
      assertThat(guide).as(kind.name()).contains("`" + kind.name() + "`");
    }
  }
}
