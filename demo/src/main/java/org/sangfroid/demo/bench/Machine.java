package org.sangfroid.demo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the figures were measured on, printed above every table. */
record Machine(int cpus, String cpuModel, double memoryGib, String os, String java, String load) {

  static Machine here() {
    String model = "unknown CPU";
    double gib = Runtime.getRuntime().maxMemory() / 1024.0 / 1024 / 1024;
    String load = "unknown";
    try {
      String[] avg = Files.readString(Path.of("/proc/loadavg")).split(" ");
      load = avg[0] + " " + avg[1] + " " + avg[2];
      List<String> cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
      model = cpuinfo.stream().filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(model);
      gib = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:")).findFirst()
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024).orElse(gib);
    } catch (IOException | RuntimeException e) {
      // not Linux: the JVM's own figures will do
    }
    return new Machine(Runtime.getRuntime().availableProcessors(), model, gib,
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), load);
  }

  String describe() {
    return String.format(Locale.ROOT, "%d CPUs (%s), %.1f GiB RAM, %s, %s; load average at start %s (1, 5, 15 min)",
        cpus, cpuModel, memoryGib, os, java, load);
  }
}
