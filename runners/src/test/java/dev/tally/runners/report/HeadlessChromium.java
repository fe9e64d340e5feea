package dev.tally.runners.report;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, driven through its chromedriver (both installed by .ci/run). Missing, it fails the
 * test with the command that installs it: browser checks are never silently skipped.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** An svg element as laid out by the browser, and how many shapes and texts it holds. */
  record Chart(String id, double width, double height, long shapes) {}

  // Selenium warns on every start that it has no DevTools bindings for this Chromium: none are used here.
  private static final Logger DEVTOOLS_LOG = quiet("org.openqa.selenium.devtools");
  private static final Logger CHROMIUM_LOG = quiet("org.openqa.selenium.chromium");

  private final ChromeDriver driver;

  HeadlessChromium() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail("no headless browser: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed; install them with"
          + " apt-get install -y chromium chromium-driver (as .ci/run does)");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1100,900");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
  }

  void open(String url) {
    driver.get(url);
  }

  /** Every svg element of the page. */
  List<Chart> charts() {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> charts =
        (List<Map<String, Object>>)
            driver.executeScript(
                "return Array.from(document.querySelectorAll('svg')).map(svg => {"
                    + " const box = svg.getBoundingClientRect();"
                    + " return {id: svg.id, width: box.width, height: box.height,"
                    + " shapes: svg.querySelectorAll('path, rect, line, text').length}; });");
    return charts.stream()
        .map(chart -> new Chart(
            (String) chart.get("id"),
            ((Number) chart.get("width")).doubleValue(),
            ((Number) chart.get("height")).doubleValue(),
            ((Number) chart.get("shapes")).longValue()))
        .toList();
  }

  /** Browser console messages at error level (failed loads, script errors) since the last call. */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  /** The text of the first element matching a CSS selector. */
  String text(String cssSelector) {
    // The dashboard swaps its panels on every refresh: an element found just before a swap is gone after it.
    for (int attempt = 1; ; attempt++) {
      try {
        return driver.findElement(By.cssSelector(cssSelector)).getText();
      } catch (org.openqa.selenium.StaleElementReferenceException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** The value of a script expression, e.g. {@code typeof window.injected}. */
  Object evaluate(String expression) {
    return driver.executeScript("return " + expression + ";");
  }

  /** Waits until the element's text contains {@code expected}; false if it did not within the timeout. */
  boolean awaitText(String cssSelector, String expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!text(cssSelector).contains(expected)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** A PNG of the whole page (the window grown to the page's height). */
  void screenshot(Path file) throws Exception {
    long height = ((Number) driver.executeScript("return document.documentElement.scrollHeight;")).longValue();
    // The window's height includes the browser's own frame: give the page a little more than it needs.
    driver.manage().window().setSize(new Dimension(1100, (int) Math.min(height + 200, 6000)));
    File png = driver.getScreenshotAs(OutputType.FILE);
    Files.createDirectories(file.getParent());
    Files.copy(png.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.SEVERE);
    return logger;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
