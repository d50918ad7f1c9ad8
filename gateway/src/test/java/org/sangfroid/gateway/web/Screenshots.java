package org.sangfroid.gateway.web;

import com.microsoft.playwright.Page;
import java.nio.file.Path;

/**
 * Where the browser tests put their screenshots: {@code target/browser/} for a person to look
 * at, or the documentation's {@code docs/img/} when run with {@code -Dsangfroid.screenshots=docs}
 * (how the guides' pictures are refreshed: {@code ./mvnw -pl gateway -am verify -Dtest=none
 * -Dit.test='*BrowserIT' -Dsangfroid.screenshots=docs}).
 */
final class Screenshots {
  private Screenshots() {}

  /** The folder for this run's screenshots. */
  static Path folder() {
    // Maven runs the module's tests in gateway/: the docs are beside it.
    return "docs".equals(System.getProperty("sangfroid.screenshots"))
        ? Path.of("..", "docs", "img")
        : Path.of("target", "browser");
  }

  /** Saves {@code page} as NAME.png, the whole page. */
  static Path save(Page page, String name) {
    Path file = folder().resolve(name + ".png");
    page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
    return file;
  }

  /** Saves what the window shows of {@code page} (its top) as NAME.png: for pages too long to show whole. */
  static Path saveTop(Page page, String name) {
    Path file = folder().resolve(name + ".png");
    page.evaluate("() => window.scrollTo(0, 0)");
    page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(false));
    return file;
  }
}
