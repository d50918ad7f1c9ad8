package org.sangfroid.simulator.onewire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OneWireTreeTest {
  private static final RomId A = RomId.of("28-0000000000a1");
  private static final RomId B = RomId.of("28-0000000000b2");

  @TempDir Path dir;

  private String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.US_ASCII);
  }

  @Test
  void write_goodReading_isExactlyWhatTheKernelShows() throws IOException {
    OneWireTree tree = new OneWireTree(dir);

    tree.write(A, new DeviceState.Reading(23.125));

    assertThat(read(dir.resolve("28-0000000000a1/w1_slave")))
        .isEqualTo(
            "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n"
                + "72 01 4b 46 7f ff 0e 10 57 t=23125\n");
  }

  @Test
  void write_powerOnReset_shows85WithValidCrc() throws IOException {
    OneWireTree tree = new OneWireTree(dir);

    tree.write(A, new DeviceState.PowerOnReset());

    assertThat(read(tree.slaveFile(A)))
        .isEqualTo(
            "50 05 4b 46 7f ff 0c 10 1c : crc=1c YES\n"
                + "50 05 4b 46 7f ff 0c 10 1c t=85000\n");
  }

  @Test
  void write_crcErrorBeforeAnyGoodRead_saysNoAndRepeatsZeroes() throws IOException {
    OneWireTree tree = new OneWireTree(dir);

    tree.write(A, new DeviceState.CrcError(23.125));

    assertThat(read(tree.slaveFile(A)))
        .isEqualTo(
            "72 01 4b 46 7f ff 0e 10 a8 : crc=57 NO\n"
                + "00 00 00 00 00 00 00 00 00 t=23125\n");
  }

  @Test
  void write_crcErrorAfterGoodRead_secondLineRepeatsLastGoodRead() throws IOException {
    OneWireTree tree = new OneWireTree(dir);
    tree.write(A, new DeviceState.Reading(4.0));

    tree.write(A, new DeviceState.CrcError(6.5));

    W1SlaveFile file = W1SlaveFile.parse(read(tree.slaveFile(A)));
    assertThat(file.crcOk()).isFalse();
    assertThat(file.celsius()).isEqualTo(6.5);
    assertThat(file.millidegrees()).isEqualTo(6500);
    assertThat(file.lastGood()).containsExactly(Scratchpad.ofCelsius(4.0).bytes());
  }

  @Test
  void write_emptyRead_leavesAnEmptyFile() throws IOException {
    OneWireTree tree = new OneWireTree(dir);
    tree.write(A, new DeviceState.Reading(4.0));

    tree.write(A, new DeviceState.EmptyRead());

    assertThat(read(tree.slaveFile(A))).isEmpty();
  }

  @Test
  void write_disconnected_removesFolderAndUnlistsProbe() throws IOException {
    OneWireTree tree = new OneWireTree(dir);
    tree.write(Map.of(A, new DeviceState.Reading(4.0)));
    Map<RomId, DeviceState> devices = new LinkedHashMap<>();
    devices.put(A, new DeviceState.Disconnected());
    devices.put(B, new DeviceState.Reading(-30.0));

    tree.write(devices);

    assertThat(dir.resolve("28-0000000000a1")).doesNotExist();
    assertThat(read(dir.resolve("w1_bus_master1/w1_master_slaves"))).isEqualTo("28-0000000000b2\n");
    try (Stream<Path> entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("w1_bus_master1", "28-0000000000b2");
    }
  }

  @Test
  void write_reconnectedAfterDisconnect_forgetsLastGoodRead() throws IOException {
    OneWireTree tree = new OneWireTree(dir);
    tree.write(A, new DeviceState.Reading(4.0));
    tree.write(A, new DeviceState.Disconnected());

    tree.write(A, new DeviceState.CrcError(4.0));

    assertThat(W1SlaveFile.parse(read(tree.slaveFile(A))).lastGood()).containsOnly(0);
  }

  @Test
  void writeMasterSlaves_severalProbes_oneRomPerLineInOrder() throws IOException {
    OneWireTree tree = new OneWireTree(dir);

    tree.writeMasterSlaves(List.of(B, A));

    assertThat(read(tree.masterSlavesFile())).isEqualTo("28-0000000000b2\n28-0000000000a1\n");
  }

  @Test
  void writeMasterSlaves_noProbe_saysNotFoundLikeTheKernel() throws IOException {
    OneWireTree tree = new OneWireTree(dir);

    tree.writeMasterSlaves(List.of());

    assertThat(read(tree.masterSlavesFile())).isEqualTo("not found.\n");
  }

  @Test
  void write_manyTimes_leavesNoTemporaryFiles() throws IOException {
    OneWireTree tree = new OneWireTree(dir);
    for (int i = 0; i < 10; i++) {
      tree.write(Map.of(A, new DeviceState.Reading(i)));
    }

    try (Stream<Path> all = Files.walk(dir)) {
      assertThat(all.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()))
          .containsExactlyInAnyOrder("28-0000000000a1/w1_slave", "w1_bus_master1/w1_master_slaves");
    }
  }

  @Test
  void write_whileAReaderReads_readerOnlySeesWholeFilesThatParseBack() throws Exception {
    OneWireTree tree = new OneWireTree(dir);
    double[] values = {4.0, -30.125, 22.5, 85.0, -10.125};
    Set<Double> written = Set.of(4.0, -30.125, 22.5, 85.0, -10.125);
    tree.write(A, new DeviceState.Reading(values[0]));
    AtomicBoolean done = new AtomicBoolean();
    CompletableFuture<List<String>> reader =
        CompletableFuture.supplyAsync(
            () -> {
              List<String> seen = new ArrayList<>();
              while (!done.get() || seen.isEmpty()) {
                try {
                  seen.add(Files.readString(tree.slaveFile(A), StandardCharsets.US_ASCII));
                } catch (NoSuchFileException e) {
                  seen.add("missing");
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              }
              return seen;
            });

    for (int i = 0; i < 1000; i++) {
      tree.write(A, new DeviceState.Reading(values[i % values.length]));
    }
    done.set(true);

    List<String> seen = reader.get();
    assertThat(seen).isNotEmpty();
    for (String text : seen) {
      W1SlaveFile file = W1SlaveFile.parse(text);
      assertThat(file.crcOk()).isTrue();
      assertThat(file.read()).containsExactly(file.lastGood());
      assertThat(written).contains(file.celsius());
      assertThat(file.millidegrees()).isEqualTo((int) Math.round(file.celsius() * 1000));
    }
  }
}
