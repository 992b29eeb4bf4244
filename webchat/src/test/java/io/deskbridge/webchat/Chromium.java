package io.deskbridge.webchat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The headless Chromium every browser test drives: Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs. A test class skips itself, saying how to install them, when they are missing; each test
 * starts a browser of its own with a fresh profile (quit after it) and may save screenshots under
 * {@code target/screenshots/}.
 */
final class Chromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private Chromium() {}

    /** Skips the calling tests ({@code tests} names them in the message) unless Chromium and its driver are installed. */
    static void assumeInstalled(String tests) {
        Assumptions.assumeTrue(Files.isExecutable(BINARY) && Files.isExecutable(DRIVER),
                tests + " skipped: Chromium is not installed. Install it with: apt-get update && apt-get install -y chromium chromium-driver");
    }

    /** A headless browser with its own profile in {@code profile}, 900 by 900 pixels. The caller quits it. */
    static ChromeDriver start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=900,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        return new ChromeDriver(service, options);
    }

    /** Saves what {@code browser} shows as {@code target/screenshots/<name>.png}. */
    static void screenshot(ChromeDriver browser, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
