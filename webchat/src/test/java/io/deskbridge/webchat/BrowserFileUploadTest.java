package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskbridge.core.Configuration;
import io.deskbridge.genesys.simulator.InProcessGenesys;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Files from the bundled chat page in headless Chromium: picked or dropped, checked by the server before the bytes
 * travel, uploaded with progress, sent with a message to the agent; a refused file shows why next to it. On the
 * example desk and on the Genesys desk against the in-process simulator. Screenshots: {@code target/screenshots/files-*.png}.
 */
@DisplayName("Files from the chat page in Chromium")
class BrowserFileUploadTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path profile;
    @TempDir
    Path files;

    private WebChatFixture web;
    private WebChatApplication app;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    static void chromiumInstalled() {
        Chromium.assumeInstalled("Browser tests");
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (web != null) {
            web.close();
        }
        if (app != null) {
            app.close();
        }
    }

    private void openBrowser() {
        browser = Chromium.start(profile);
        wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(50));
    }

    private void startChat(String url) {
        browser.get(url);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("start-chat"))).click();
    }

    private void pick(Path file) {
        browser.findElement(By.id("file-input")).sendKeys(file.toAbsolutePath().toString());
    }

    private WebElement fileRow(String name) {
        return wait.until(d -> d.findElements(By.cssSelector("#files li.file")).stream()
                .filter(row -> row.findElement(By.className("name")).getText().equals(name)).findFirst().orElse(null));
    }

    private void awaitState(String name, String state) {
        wait.until(d -> fileRow(name).findElement(By.className("state")).getText().contains(state));
    }

    private void sendFiles(String text) {
        WebElement input = browser.findElement(By.id("message"));
        input.sendKeys(text);
        input.sendKeys(Keys.ENTER);
    }

    private void awaitAgentSays(String text) {
        wait.until(d -> d.findElements(By.cssSelector("#messages li.message.agent .text")).stream().anyMatch(e -> e.getText().contains(text)));
    }

    @Test
    @DisplayName("example desk: a picked file and a dropped one reach the agent; a refused type and a file over the cap show why")
    void exampleDesk() throws Exception {
        Map<String, String> keys = new HashMap<>();
        keys.put("desk", "example");
        keys.put("webchat.maxUploadBytes", "65536");
        keys.put("example.joinDelay", "300ms");
        keys.put("example.queueUpdateInterval", "100ms");
        keys.put("example.readDelay", "50ms");
        keys.put("example.typingPause", "100ms");
        web = WebChatFixture.start(keys);
        openBrowser();
        startChat(web.uri().toString());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("agent-name"), "Ada"));
        WebElement attach = wait.until(ExpectedConditions.elementToBeClickable(By.id("attach")));
        assertThat(attach.getAttribute("aria-label")).isEqualTo("Attach a file");

        pick(Files.writeString(files.resolve("invoice.txt"), "Invoice 4711: 99.00 EUR"));
        awaitState("invoice.txt", "Ready to send");
        Chromium.screenshot(browser, "files-1-ready");
        sendFiles("Here is my invoice");
        awaitAgentSays("Thanks, I received invoice.txt (23 bytes).");
        wait.until(d -> d.findElements(By.cssSelector("#files li.file")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("#messages li.message.user .attachments")).getText()).contains("invoice.txt");

        // Dropped onto the conversation, as a user drags it from the desktop.
        browser.executeScript("""
                const transfer = new DataTransfer();
                transfer.items.add(new File(['a dropped note'], 'note.txt', {type: 'text/plain'}));
                document.getElementById('conversation').dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));""");
        awaitState("note.txt", "Ready to send");
        sendFiles("");
        awaitAgentSays("Thanks, I received note.txt (14 bytes).");

        pick(Files.write(files.resolve("setup.exe"), new byte[] {0x4d, 0x5a, 0, 0}));
        awaitState("setup.exe", "the service desk accepts");
        assertThat(fileRow("setup.exe").getAttribute("class")).contains("failed");
        pick(Files.write(files.resolve("photo.png"), new byte[70_000]));
        awaitState("photo.png", "larger than the largest file accepted (64 KB)");
        Chromium.screenshot(browser, "files-2-refused");
        fileRow("setup.exe").findElement(By.className("remove")).click();
        wait.until(d -> d.findElements(By.cssSelector("#files li.file")).size() == 1);
    }

    @Test
    @DisplayName("Genesys desk: a picked file reaches the simulator through Genesys's pre-signed upload; a blocked extension shows why")
    void genesysDesk() throws Exception {
        app = WebChatApplication.start(Configuration.of(Map.of("webchat.port", "0", "webchat.simulator", "genesys",
                "genesys.transport", "web-messaging")));
        InProcessGenesys genesys = (InProcessGenesys) app.simulator().orElseThrow();
        openBrowser();
        startChat(app.server().uri().toString());
        SimulatedWebMessagingSession session = genesys.simulator().webMessaging().awaitSession(WAIT);
        session.agentJoins("Grace", Optional.empty());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("agent-name"), "Grace"));

        pick(Files.writeString(files.resolve("receipt.txt"), "Order 4711", StandardCharsets.UTF_8));
        awaitState("receipt.txt", "Ready to send");
        sendFiles("My receipt");
        Await.until(() -> session.userMessages().stream().anyMatch(BrowserFileUploadTest::hasAttachment), "the file at the simulator");
        wait.until(d -> !d.findElements(By.cssSelector("#messages li.message.user .attachments")).isEmpty());

        pick(Files.writeString(files.resolve("run.bat"), "echo hi"));
        awaitState("run.bat", "Files of type .bat cannot be sent.");
        Chromium.screenshot(browser, "files-3-genesys");
    }

    private static boolean hasAttachment(JsonNode message) {
        for (JsonNode content : message.path("content")) {
            if (content.path("contentType").asText().equals("Attachment")) {
                return true;
            }
        }
        return false;
    }
}
