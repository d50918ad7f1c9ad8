package org.sangfroid.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.RuleState;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.core.excursion.UnitStateJson;

/**
 * The JSON the edge agent writes and reads (batches, events, status, acks, its local alarm
 * states) runs on jackson-core alone: Jackson databind, about 400 classes, would stay
 * resident in the agent for its whole life (docs/performance.md). Each case runs in a fresh JVM
 * that logs the classes it loads.
 */
class AgentJsonClassesTest {
  private static final String DATABIND = " com.fasterxml.jackson.databind.";

  @TempDir Path dir;

  @Test
  void agentPaths_loadJacksonCoreOnly() throws Exception {
    List<String> loaded = run("agent");

    assertThat(loaded).as("jackson-core's generator and parser are used")
        .anyMatch(l -> l.contains(" com.fasterxml.jackson.core.json.UTF8StreamJsonParser "))
        .anyMatch(l -> l.contains(" com.fasterxml.jackson.core.json.WriterBasedJsonGenerator "));
    assertThat(loaded.stream().filter(l -> l.contains(DATABIND))).as("databind classes loaded").isEmpty();
  }

  /** The check above can fail: a decoder that needs the tree loads databind. */
  @Test
  void malformedAck_goesToTheTreeDecoder_whichLoadsDatabind() throws Exception {
    List<String> loaded = run("bad-ack");

    assertThat(loaded).anyMatch(l -> l.contains(" com.fasterxml.jackson.databind.ObjectMapper "));
  }

  private List<String> run(String what) throws IOException, InterruptedException {
    Path log = dir.resolve("classes.log");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"),
        AgentJsonClassesTest.class.getName(), what)
        .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ends").isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isZero();
    return Files.readAllLines(log);
  }

  /** The child: what the agent does with JSON ({@code agent}), or decoding an ack that is not JSON. */
  public static void main(String[] args) {
    if (args[0].equals("bad-ack")) {
      check(WireCodec.decodeAck("{".getBytes(StandardCharsets.UTF_8)) instanceof Decoded.Invalid);
      return;
    }
    long t = 1_768_464_000_000L;
    WireCodec.encode(new ReadingBatch("casa-01", "agent-01", 0, List.of(
        new Reading(41, t, "rbc-fridge-1", "28-0316a2794aff", 4.125, Quality.OK, true))));
    WireCodec.encode(new EventBatch("casa-01", "agent-01", List.of(
        new AgentEvent(7, t, "rbc-fridge-1", AgentEvent.Type.DOOR_OPEN, true, "", true))));
    WireCodec.encode(new AgentStatus(true, "1.0", t, 3));
    WireCodec.encode(AgentStatus.lastWill());
    check(WireCodec.decodeAck(WireCodec.encode(new Ack(41, t, 7))) instanceof Decoded.Valid);
    UnitState s = new UnitState(t, t + 5, t + 4, 4.125, Map.of(AlarmKind.HIGH_TEMPERATURE,
        new RuleState(RuleState.Phase.PENDING, t, UnitState.NEVER, 6.5, 0, 0, t, true, List.of(),
            List.of(new RuleState.Point(t, 6.5)))), UnitState.NEVER, t, UnitState.NEVER, UnitState.NEVER);
    check(UnitStateJson.read(UnitStateJson.write(s)).equals(s));
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw new IllegalStateException("unexpected result");
    }
  }
}
