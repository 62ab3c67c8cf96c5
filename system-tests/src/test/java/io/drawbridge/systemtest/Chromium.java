package io.drawbridge.systemtest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's Chromium, headless, driven through its own chromedriver (no browser or driver is downloaded). Test methods
 * take a {@code Chromium} parameter and open any number of {@link Window}s, each a fresh browser with its own profile
 * (no cookies shared) and its own download folder. When a test fails, every open window's screenshot and page source
 * are written to {@code target/browser/<test>/}; all windows are closed after each test.
 *
 * <p>The browser is found at {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (override with
 * {@code DRAWBRIDGE_CHROMIUM} and {@code DRAWBRIDGE_CHROMEDRIVER}); {@code .ci/run} installs both. Without them the
 * browser tests are skipped, except under {@code CI=true}, where they fail.
 */
final class Chromium implements ParameterResolver, TestExecutionExceptionHandler, AfterEachCallback {

    private static final Logger log = LoggerFactory.getLogger(Chromium.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Chromium.class);
    private static final Path BINARY =
            Path.of(System.getenv().getOrDefault("DRAWBRIDGE_CHROMIUM", "/usr/bin/chromium"));
    private static final Path DRIVER =
            Path.of(System.getenv().getOrDefault("DRAWBRIDGE_CHROMEDRIVER", "/usr/bin/chromedriver"));
    /** How long a page element or a download may take to appear on a busy 2-core machine. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<Window> windows = new ArrayList<>();
    private final Path workDirectory;

    private Chromium(Path workDirectory) {
        this.workDirectory = workDirectory;
    }

    /** For JUnit's {@code @ExtendWith}. */
    Chromium() {
        this(Path.of("target", "browser"));
    }

    /**
     * Opens a new browser window with a fresh profile that presents {@code userAgent} (null: Chromium's own) and
     * saves downloads to its own folder.
     */
    Window open(String userAgent) {
        return open(userAgent, null);
    }

    /**
     * As {@link #open(String)}, and the browser prefers {@code acceptLanguage} (e.g. {@code de}; null: Chromium's
     * own). A given user agent is presented the way a Chromium on that system would: the {@code Sec-CH-UA-Platform}
     * client hint names the same platform (with only {@code --user-agent} it would still say Linux, the machine's).
     */
    Window open(String userAgent, String acceptLanguage) {
        Path profile = createDirectory("profile");
        Path downloads = createDirectory("downloads");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        // As root Chromium needs --no-sandbox; the rest keeps it from calling home on a closed network.
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,900",
                "--user-data-dir=" + profile.toAbsolutePath());
        if (userAgent != null) {
            options.addArguments("--user-agent=" + userAgent);
        }
        Map<String, Object> prefs = new java.util.LinkedHashMap<>();
        prefs.put("download.default_directory", downloads.toAbsolutePath().toString());
        prefs.put("download.prompt_for_download", false);
        prefs.put("safebrowsing.enabled", false);
        if (acceptLanguage != null) {
            // The profile's languages are what Chromium sends as Accept-Language (it adds the q-values itself).
            String languages = acceptLanguage.replaceAll(";q=[0-9.]+", "").replace(" ", "");
            prefs.put("intl.accept_languages", languages);
            options.addArguments("--lang=" + languages.split(",")[0], "--accept-lang=" + languages);
        }
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        Window window = new Window(driver, downloads);
        windows.add(window);
        if (userAgent != null || acceptLanguage != null) {
            Map<String, Object> override = new java.util.LinkedHashMap<>();
            override.put(
                    "userAgent", userAgent != null ? userAgent : driver.executeScript("return navigator.userAgent"));
            if (acceptLanguage != null) {
                // Languages only: Chromium adds the q-values itself (given ones would be doubled into a malformed
                // header, which a server reads as no preference).
                override.put(
                        "acceptLanguage",
                        acceptLanguage.replaceAll(";q=[0-9.]+", "").replace(" ", ""));
            }
            if (userAgent != null) {
                override.put(
                        "userAgentMetadata",
                        Map.of(
                                "platform", platformOf(userAgent),
                                "platformVersion", "",
                                "architecture", "x86",
                                "model", "",
                                "mobile", false));
            }
            driver.executeCdpCommand("Network.setUserAgentOverride", override);
        }
        return window;
    }

    /** The {@code Sec-CH-UA-Platform} value a Chromium with this user agent would send. */
    private static String platformOf(String userAgent) {
        if (userAgent.contains("Macintosh")) {
            return "macOS";
        }
        return userAgent.contains("Windows") ? "Windows" : "Linux";
    }

    private Path createDirectory(String kind) {
        try {
            Files.createDirectories(workDirectory);
            return Files.createTempDirectory(workDirectory.toAbsolutePath(), kind + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One browser with its own profile and download folder. */
    static final class Window implements AutoCloseable {
        private final ChromeDriver driver;
        private final Path downloads;

        private Window(ChromeDriver driver, Path downloads) {
            this.driver = driver;
            this.downloads = downloads;
        }

        ChromeDriver driver() {
            return driver;
        }

        Window go(String url) {
            driver.get(url);
            return this;
        }

        /** The first element matching {@code css}, waiting for it to appear. */
        WebElement find(String css) {
            return await("element " + css)
                    .atMost(PATIENCE)
                    .ignoreExceptions()
                    .until(() -> driver.findElement(By.cssSelector(css)), element -> element != null);
        }

        String text() {
            return driver.findElement(By.tagName("body")).getText();
        }

        /** The file the browser finished downloading under {@code name}, waiting until it is complete. */
        Path downloaded(String name) {
            Path file = downloads.resolve(name);
            return await("download of " + name)
                    .atMost(PATIENCE)
                    .until(
                            () -> Files.isRegularFile(file) && !partialDownloadsIn(downloads) ? file : null,
                            found -> found != null);
        }

        private static boolean partialDownloadsIn(Path folder) throws IOException {
            try (Stream<Path> files = Files.list(folder)) {
                return files.anyMatch(file -> file.getFileName().toString().endsWith(".crdownload"));
            }
        }

        private void saveEvidence(Path folder, int index) {
            try {
                Files.createDirectories(folder);
                Files.write(folder.resolve("window-" + index + ".png"), driver.getScreenshotAs(OutputType.BYTES));
                Files.writeString(folder.resolve("window-" + index + ".html"), driver.getPageSource());
                log.warn("browser evidence of a failed test: {}", folder.toAbsolutePath());
            } catch (Exception e) {
                log.warn("could not save the browser's screenshot to {}: {}", folder, e.toString());
            }
        }

        @Override
        public void close() {
            driver.quit();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Chromium.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        boolean installed = Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("browser tests need " + BINARY + " and " + DRIVER
                    + " (Debian: apt-get install chromium chromium-driver; .ci/run installs them)");
        }
        assumeTrue(installed, "browser tests need " + BINARY + " and " + DRIVER);
        Path folder = Path.of(
                "target",
                "browser",
                context.getRequiredTestClass().getSimpleName() + "-"
                        + context.getRequiredTestMethod().getName());
        return context.getStore(NAMESPACE).computeIfAbsent(Chromium.class, key -> new Chromium(folder), Chromium.class);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Chromium chromium = context.getStore(NAMESPACE).get(Chromium.class, Chromium.class);
        if (chromium != null) {
            for (int i = 0; i < chromium.windows.size(); i++) {
                chromium.windows.get(i).saveEvidence(chromium.workDirectory, i + 1);
            }
        }
        throw failure;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Chromium chromium = context.getStore(NAMESPACE).remove(Chromium.class, Chromium.class);
        if (chromium != null) {
            chromium.windows.forEach(Window::close);
        }
    }
}
