package org.sangfroid.demo.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.sangfroid.demo.bench.Table.Baseline;
import org.sangfroid.demo.bench.Table.Format;
import org.sangfroid.demo.bench.Table.Target;
import org.sangfroid.gateway.GatewayApp;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Role;
import org.sangfroid.gateway.user.Users;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sangfroid bench web} (issue 5, acceptance 4): the unit chart for a year of one-minute
 * readings of one unit, through the chart API and in headless Chromium, beside raw SQLite reading
 * the same rows.
 */
@Command(
    name = "web",
    mixinStandardHelpOptions = true,
    versionProvider = BenchMain.Version.class,
    description = {
      "Measures the unit page on a year of one reading a minute of one unit",
      "(525,600 rows, written straight into a new gateway database):",
      "- the chart API for the year (GET /api/units/{id}/chart, about 1000",
      "  points computed by the database), over HTTP with a logged-in session;",
      "- the unit page opened on its 1-year view in headless Chromium (Debian's",
      "  /usr/bin/chromium) until the chart is drawn; 'n/a' without chromium.",
      "Baselines: plain JDBC reading the year's rows of the unit, and the same",
      "GROUP BY the API runs, on the same file.",
      "Target (issue 5): the year's chart in under 1 second.",
      ""
    })
final class WebBench implements Callable<Integer> {
  static final String SITE = "bench-site";
  static final String AGENT = "agent-01";
  static final String UNIT = "fridge-1";
  static final double TARGET_MS = 1_000;
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final long MINUTE = 60_000;
  private static final int YEAR_READINGS = 365 * 24 * 60;
  private static final String PASSWORD = "bench-password-1";

  @Spec CommandSpec spec;
  @ParentCommand BenchMain parent;
  @Mixin BenchMain.Common common;

  private final Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    common.check(spec);
    try (BenchMain.Session s = new BenchMain.Session(common, "web", parent.out)) {
      s.header("Sangfroid bench web", spec, clock, "Runs: 1 warm-up (not counted), then " + common.runs
          + "; values are medians ± half the range.");
      GatewayConfig config = GatewayConfig.parse("gateway.yaml", """
          dataDir: ./data
          http:
            port: 0
          broker:
            embedded:
              port: 0
          sites:
            - id: %s
              name: Bench site
              agents:
                - id: %s
                  units:
                    - id: %s
                      name: Red cell fridge 1
                      profile: RBC_STORE_EU
          """.formatted(SITE, AGENT, UNIT), s.dir);
      long now = clock.millis();
      long from = now - YEAR_READINGS * MINUTE;
      Path db = fill(config, from, s);
      Table table = new Table("Web (issue 5, acceptance 4)");
      Stats rawSelect = measure(s, "raw SELECT", () -> rawSelect(db, from, now));
      Stats rawGroup = measure(s, "raw GROUP BY", () -> rawGroupBy(db, from, now));
      List<Baseline> baselines = List.of(new Baseline("raw SELECT", rawSelect), new Baseline("raw GROUP BY", rawGroup));
      try (GatewayApp app = GatewayApp.start(config, clock)) {
        String base = "http://127.0.0.1:" + app.httpPort();
        Api api = Api.login(base);
        String year = "/api/units/" + UNIT + "/chart?from=" + from + "&to=" + now;
        Stats chart = measure(s, "chart API", () -> api.get(year));
        table.add("chart API, 1 year (ms)", chart, Format.ONE, baselines,
            Optional.of(Target.atMost(TARGET_MS, Format.ONE)));
        if (Files.isExecutable(CHROMIUM)) {
          table.add("unit page in Chromium, 1 year drawn (ms)", browser(s, base), Format.ONE,
              List.of(new Baseline("chart API", chart)), Optional.of(Target.atMost(TARGET_MS, Format.ONE)));
        } else {
          table.unavailable("unit page in Chromium, 1 year drawn (ms)", "n/a: install chromium",
              Optional.of(Target.atMost(TARGET_MS, Format.ONE)));
        }
      }
      table.note(String.format(java.util.Locale.ROOT, "%,d readings of one unit, one a minute for 365 days, in"
          + " the gateway's SQLite database; the chart asks for about 1000 points.", YEAR_READINGS));
      table.note("Chromium: from navigating to /units/" + UNIT + "?hours=8760 (logged in) until the chart of the"
          + " year is drawn; includes the page, uPlot, the chart and events APIs and drawing. The summary of the"
          + " year, loaded after the chart, is not timed (each run waits for it to end first).");
      table.print(s.out);
    }
    return 0;
  }

  /** A year of readings, straight into the gateway's schema; returns the database file. */
  private Path fill(GatewayConfig config, long from, BenchMain.Session s) throws Exception {
    Path file = config.dataDir().resolve(GatewayApp.DATABASE);
    try (GatewayStore store = GatewayStore.open(file)) { // creates the schema
      Object added = new Users(store, clock).add("system", "bench", "bench", Role.VIEWER, Language.EN,
          PASSWORD.toCharArray());
      if (!(added instanceof Users.Done)) {
        throw new BenchException("the bench user could not be added: " + added, null);
      }
    }
    s.progress("writing " + YEAR_READINGS + " readings (a year, one a minute)...");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("INSERT INTO readings (site, agent, seq, unit, sensor, t, value,"
          + " quality, synced, received_at) VALUES (?, ?, ?, ?, 'probe-1', ?, ?, 'ok', 1, ?)")) {
        for (int i = 1; i <= YEAR_READINGS; i++) {
          long t = from + i * MINUTE;
          // a daily swing around 4 °C, and one door left open for 20 minutes in the year
          double v = i > 200_000 && i <= 200_020 ? 8.5 : 4.0 + 0.8 * Math.sin(i * 2 * Math.PI / 1440);
          p.setString(1, SITE);
          p.setString(2, AGENT);
          p.setLong(3, i);
          p.setString(4, UNIT);
          p.setLong(5, t);
          p.setDouble(6, v);
          p.setLong(7, t);
          p.addBatch();
          if (i % 5_000 == 0) {
            p.executeBatch();
            c.commit();
          }
        }
        p.executeBatch();
        c.commit();
      }
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        st.execute("ANALYZE");
      }
    }
    return file;
  }

  private static long rawSelect(Path db, long from, long to) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        PreparedStatement p = c.prepareStatement("SELECT t, value FROM readings WHERE unit = ? AND t >= ? AND t <= ?"
            + " ORDER BY t")) {
      p.setString(1, UNIT);
      p.setLong(2, from);
      p.setLong(3, to);
      long n = 0;
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          rs.getLong(1);
          rs.getDouble(2);
          n++;
        }
      }
      return n;
    }
  }

  private static long rawGroupBy(Path db, long from, long to) throws Exception {
    long width = (to - from) / 1000 + 1;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        PreparedStatement p = c.prepareStatement("SELECT (t - ?) / ? AS bucket, MIN(value), MAX(value), AVG(value),"
            + " COUNT(value) FROM readings WHERE unit = ? AND t >= ? AND t <= ? AND value IS NOT NULL"
            + " GROUP BY bucket ORDER BY bucket")) {
      p.setLong(1, from);
      p.setLong(2, width);
      p.setString(3, UNIT);
      p.setLong(4, from);
      p.setLong(5, to);
      long n = 0;
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          n++;
        }
      }
      return n;
    }
  }

  private Stats browser(BenchMain.Session s, String base) throws Exception {
    try (Playwright pw = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
      Browser browser = pw.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
          .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync")));
      BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1200, 900));
      context.setDefaultTimeout(60_000);
      Page page = context.newPage();
      page.navigate(base + "/login");
      page.fill("#name", "bench");
      page.fill("#password", PASSWORD);
      page.click("#login");
      page.waitForURL(base + "/");
      List<Double> ms = new ArrayList<>();
      for (int run = 0; run <= common.runs; run++) {
        long start = System.nanoTime();
        page.navigate(base + "/units/" + UNIT + "?hours=8760");
        page.waitForFunction("() => { const c = document.getElementById('chart');"
            + " return c && c.dataset.drawn === 'true' && c.dataset.raw === 'false'; }");
        double took = (System.nanoTime() - start) / 1e6;
        // not timed: the year's summary (every reading, in the gateway) is loaded after the chart; let it end
        // before the next run, whose chart would otherwise wait for the store behind it
        page.waitForFunction("() => document.getElementById('chart').dataset.summaryState === 'done'");
        s.progress("unit page in Chromium" + (run == 0 ? " (warm-up)" : " run " + run) + ": "
            + String.format(java.util.Locale.ROOT, "%.1f ms", took));
        if (run > 0) {
          ms.add(took);
        }
      }
      return Stats.of(ms);
    }
  }

  /** Something timed: returns a count so the work cannot be skipped. */
  private interface Work {
    long run() throws Exception;
  }

  private Stats measure(BenchMain.Session s, String what, Work work) throws Exception {
    List<Double> ms = new ArrayList<>();
    for (int run = 0; run <= common.runs; run++) {
      long start = System.nanoTime();
      work.run();
      double took = (System.nanoTime() - start) / 1e6;
      s.progress(what + (run == 0 ? " (warm-up)" : " run " + run) + ": " + String.format(java.util.Locale.ROOT,
          "%.1f ms", took));
      if (run > 0) {
        ms.add(took);
      }
    }
    return Stats.of(ms);
  }

  /** A logged-in API session. */
  private record Api(HttpClient http, String base, String cookie) {
    static Api login(String base) throws Exception {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"bench\", \"password\": \"" + PASSWORD + "\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new BenchException("the bench could not log in: " + r.statusCode() + " " + r.body(), null);
      }
      String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("sangfroid_session="))
          .map(c -> c.substring(0, c.indexOf(';'))).findFirst()
          .orElseThrow(() -> new BenchException("the login set no session cookie", null));
      return new Api(http, base, cookie);
    }

    long get(String path) throws Exception {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie)
          .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new BenchException(path + " answered " + r.statusCode() + ": " + new String(r.body()), null);
      }
      return r.body().length;
    }
  }
}
