package org.sangfroid.agent.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.sangfroid.agent.sensor.bus.BusException;
import org.sangfroid.agent.sensor.bus.I2cPort;
import org.sangfroid.agent.sensor.sht.ShtSensor;

/**
 * An SHT3x or SHT4x behind {@link I2cPort}, behaving as the datasheets describe: it acknowledges
 * only its measure command, does not acknowledge a read until the measurement is done (SHT3x
 * 15 ms, SHT4x 8.3 ms, the datasheets' maxima, on a {@link FakeTime}), then returns temperature
 * and humidity words each followed by its CRC-8. It can be unplugged and can corrupt a CRC.
 */
public final class FakeSht implements I2cPort {
  private final FakeTime time;
  private final ShtSensor.Model model;
  private final List<String> commands = new ArrayList<>();
  private int rawTemperature = 0x6666;
  private int rawHumidity = 0x8000;
  private boolean present = true;
  private boolean corruptTemperature;
  private boolean corruptHumidity;
  private long readyAt = -1;

  public FakeSht(FakeTime time, ShtSensor.Model model) {
    this.time = time;
    this.model = model;
  }

  /** The next measurements return these raw words. */
  public FakeSht raw(int temperature, int humidity) {
    this.rawTemperature = temperature;
    this.rawHumidity = humidity;
    return this;
  }

  /** The sensor is gone: nothing acknowledges its address. */
  public FakeSht unplug() {
    present = false;
    return this;
  }

  /** The temperature word's CRC byte arrives with a bit flipped. */
  public FakeSht corruptTemperatureCrc() {
    corruptTemperature = true;
    return this;
  }

  /** The humidity word's CRC byte arrives with a bit flipped. */
  public FakeSht corruptHumidityCrc() {
    corruptHumidity = true;
    return this;
  }

  /** The commands written, as hex. */
  public synchronized List<String> commands() {
    return List.copyOf(commands);
  }

  @Override
  public synchronized void write(byte[] data) {
    if (!present) {
      throw new BusException("no ACK from the device");
    }
    commands.add(HexFormat.of().formatHex(data));
    if (!Arrays.equals(data, model.command())) {
      throw new BusException("command " + HexFormat.of().formatHex(data) + " not acknowledged");
    }
    long ns = model == ShtSensor.Model.SHT3X ? 15_000_000L : 8_300_000L;
    readyAt = time.nanos() + ns;
  }

  @Override
  public synchronized byte[] read(int length) {
    if (!present) {
      throw new BusException("no ACK from the device");
    }
    if (readyAt < 0 || time.nanos() < readyAt) {
      throw new BusException("read not acknowledged: no measurement ready");
    }
    readyAt = -1;
    byte[] t = word(rawTemperature, corruptTemperature);
    byte[] h = word(rawHumidity, corruptHumidity);
    byte[] all = {t[0], t[1], t[2], h[0], h[1], h[2]};
    return Arrays.copyOf(all, length);
  }

  private static byte[] word(int raw, boolean corrupt) {
    byte[] w = {(byte) (raw >> 8), (byte) raw, 0};
    int crc = ShtSensor.crc8(w, 0, 2) ^ (corrupt ? 0x01 : 0);
    w[2] = (byte) crc;
    return w;
  }
}
