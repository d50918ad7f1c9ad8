package org.sangfroid.agent.discover;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.spi.MockSpiProvider;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sangfroid.agent.sensor.bus.I2cDevice;
import org.sangfroid.agent.sensor.pi4j.Pi4jBuses;
import org.sangfroid.agent.sensor.sht.ShtSensor.Model;
import org.sangfroid.agent.testkit.FakeBuses;
import org.sangfroid.agent.testkit.FakeSht;
import org.sangfroid.agent.testkit.FakeTime;

class I2cDiscoveryTest {
  private final FakeTime time = new FakeTime();

  @Test
  void known_theAddressesOfBothFamilies() {
    assertThat(I2cDiscovery.KNOWN).containsExactly(
        org.assertj.core.api.Assertions.entry(0x44, List.of(Model.SHT3X, Model.SHT4X)),
        org.assertj.core.api.Assertions.entry(0x45, List.of(Model.SHT3X, Model.SHT4X)),
        org.assertj.core.api.Assertions.entry(0x46, List.of(Model.SHT4X)));
  }

  @Test
  void scan_sht4xAt0x44_triesTheSht3xCommandFirstThenFindsIt() {
    FakeSht sht4x = new FakeSht(time, Model.SHT4X);
    FakeBuses buses = new FakeBuses().plug(new I2cDevice(1, 0x44), sht4x);

    List<I2cDiscovery.Found> found = I2cDiscovery.scan(buses, 1, time);

    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.device()).isEqualTo(new I2cDevice(1, 0x44));
      assertThat(f.model()).isEqualTo(Model.SHT4X);
      assertThat(f.measured().why()).isEmpty();
    });
    assertThat(sht4x.commands()).containsExactly("2400", "fd");  // the SHT3x command was not acknowledged
  }

  @Test
  void scan_onPi4jMockPlatform_opensEachKnownAddressThroughTheAdapterAndFindsNothingSilent() {
    Context context = Pi4J.newContextBuilder().noAutoDetect().add(new MockPlatform())
        .add(MockSpiProvider.newInstance(), MockI2CProvider.newInstance()).build();
    try (Pi4jBuses buses = new Pi4jBuses(context, MockSpiProvider.class, MockI2CProvider.class)) {
      // MockI2C hands back what was written: a short read, as from a device that gives no data.
      assertThat(I2cDiscovery.scan(buses, 1, time)).isEmpty();

      assertThat(List.of("sangfroid-i2c-1-0x44", "sangfroid-i2c-1-0x45", "sangfroid-i2c-1-0x46"))
          .allMatch(id -> context.registry().exists(id));
    }
  }
}
