package org.sangfroid.agent.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.testkit.FakeOneWire;

class OneWireBusTest {
  @TempDir Path bus;

  @Test
  void discover_probesAndOtherDevices_listsDs18b20IdsSorted() {
    new FakeOneWire(bus)
        .probe("28-0316a2794aff", 4.0)
        .probe("28-00000b0c1d2e", 5.0)
        .raw("10-000802b4ba0e", "a DS18S20, another family\n");

    assertThat(OneWireBus.discover(bus)).containsExactly("28-00000b0c1d2e", "28-0316a2794aff");
  }

  @Test
  void discover_noProbe_empty() {
    new FakeOneWire(bus);

    assertThat(OneWireBus.discover(bus)).isEmpty();
  }

  @Test
  void discover_busFolderMissing_empty() {
    assertThat(OneWireBus.discover(bus.resolve("missing"))).isEmpty();
  }
}
