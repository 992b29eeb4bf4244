package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * The chat page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}), against the
 * example desk with short delays. Each test saves screenshots under {@code target/screenshots/}.
 */
@DisplayName("The chat page in Chromium")
class BrowserChatTest {
    @TempDir
    Path profile;

    private Deskbridge deskbridge;
    private WebChatServer server;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    static void chromiumInstalled() {
        Chromium.assumeInstalled("Browser tests");
    }

    private void startOnExampleDesk() {
        startOnExampleDesk(null);
    }

    private Configuration exampleConfiguration() {
        Map<String, String> keys = new HashMap<>();
        keys.put("desk", "example");
        keys.put("webchat.port", "0");
        keys.put("example.joinDelay", "600ms");
        keys.put("example.queueUpdateInterval", "200ms");
        keys.put("example.readDelay", "100ms");
        keys.put("example.typingPause", "300ms");
        keys.put("example.transferDelay", "300ms");
        return Configuration.of(keys);
    }

    private void startOnExampleDesk(DurableTestStore store) {
        Configuration configuration = exampleConfiguration();
        deskbridge = Deskbridge.builder().configuration(configuration).build();
        WebChatServer.Builder builder = WebChatServer.builder(deskbridge, WebChatSettings.read(configuration));
        if (store != null) {
            builder.store(store);
        }
        server = builder.start();
        browser = Chromium.start(profile);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(50));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (deskbridge != null) {
            deskbridge.close();
        }
    }

    private WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private List<WebElement> agentMessages() {
        return browser.findElements(By.cssSelector("#messages li.message.agent"));
    }

    private void say(String text) {
        WebElement input = wait.until(ExpectedConditions.elementToBeClickable(By.id("message")));
        input.sendKeys(text);
        input.sendKeys(Keys.ENTER);
    }

    private void awaitText(By where, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(where, text));
    }

    @Test
    @DisplayName("a user starts a chat on the example desk, the agent joins, they chat, a transfer, a reload resumes, the user ends")
    void fullChat() {
        startOnExampleDesk();
        browser.get(server.uri().toString());
        awaitText(By.id("agents-online-text"), "Agents are online");
        Chromium.screenshot(browser, "example-0-start");

        byId("topic").sendKeys("A question about my invoice");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("start-chat"))).click();
        awaitText(By.id("agent-name"), "Ada");
        wait.until(d -> agentMessages().size() >= 1);
        assertThat(byId("agent-avatar").isDisplayed()).isTrue();
        Chromium.screenshot(browser, "example-1-agent-joined");

        int before = agentMessages().size();
        say("Hello, my invoice shows the wrong amount");
        WebElement mine = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#messages li.message.user")));
        wait.until(d -> mine.findElement(By.className("delivery")).getText().matches("Sent|Read"));
        wait.until(d -> agentMessages().size() > before);
        assertThat(byId("messages").getAttribute("aria-live")).isEqualTo("polite");
        Chromium.screenshot(browser, "example-2-messages");

        say("someone else");
        awaitText(By.id("messages"), "Transferring you");
        awaitText(By.id("agent-name"), "Sam");
        int afterTransfer = agentMessages().size();
        wait.until(d -> agentMessages().size() > afterTransfer);
        Chromium.screenshot(browser, "example-3-transferred");

        List<String> transcript = browser.findElements(By.cssSelector("#messages li.message .text")).stream().map(WebElement::getText).toList();
        browser.navigate().refresh();
        awaitText(By.id("agent-name"), "Sam");
        wait.until(d -> d.findElements(By.cssSelector("#messages li.message .text")).size() >= transcript.size());
        List<String> redrawn = browser.findElements(By.cssSelector("#messages li.message .text")).stream().map(WebElement::getText).toList();
        assertThat(redrawn).startsWith(transcript.toArray(String[]::new));
        assertThat(redrawn).contains("Hello, my invoice shows the wrong amount");
        Chromium.screenshot(browser, "example-4-reloaded");

        say("Thank you, that is all");
        wait.until(d
                -> d.findElements(By.xpath("//li[contains(@class,'user')][.//span[text()='Thank you, that is "
                        + "all']]//span[@class='delivery'][text()='Sent' or text()='Read']")).size() == 1);
        byId("end-chat").click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("ended")));
        assertThat(byId("ended-text").getText()).isEqualTo("You ended the chat.");
        assertThat(byId("message").isDisplayed()).isFalse();
        Chromium.screenshot(browser, "example-5-ended");
    }

    @Test
    @DisplayName("the agent can end the chat, and the page offers a new one")
    void agentEnds() {
        startOnExampleDesk();
        browser.get(server.uri().toString());
        wait.until(ExpectedConditions.elementToBeClickable(By.id("start-chat"))).click();
        awaitText(By.id("agent-name"), "Ada");
        say("end chat");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("ended")));
        assertThat(byId("ended-text").getText()).isEqualTo("The agent ended the chat.");
        Chromium.screenshot(browser, "example-6-agent-ended");
        byId("new-chat").click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("start-chat")));
    }

    @Test
    @DisplayName("when the server restarts, the page shows the lost connection, reconnects with its resume token and carries on")
    void connectionLostAndRestored() {
        DurableTestStore store = new DurableTestStore();
        startOnExampleDesk(store);
        browser.get(server.uri().toString());
        wait.until(ExpectedConditions.elementToBeClickable(By.id("start-chat"))).click();
        awaitText(By.id("agent-name"), "Ada");
        say("Before the restart");
        int before = agentMessages().size();
        wait.until(d -> agentMessages().size() > before);

        int port = server.port();
        server.close(); // with a durable store the chat stays open at the desk
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("connection")));
        awaitText(By.id("connection"), "Connection lost");
        assertThat(byId("message").isEnabled()).isFalse();
        Chromium.screenshot(browser, "example-7-connection-lost");

        server = WebChatServer.builder(deskbridge, WebChatSettings.read(exampleConfiguration().with(Map.of("webchat.port", String.valueOf(port)))))
                .store(store).start();
        awaitText(By.id("connection"), "Connection restored");
        awaitText(By.id("agent-status"), "In the chat");
        assertThat(byId("messages").getText()).contains("Before the restart");
        int resumed = agentMessages().size();
        say("After the restart");
        wait.until(d -> agentMessages().size() > resumed);
        Chromium.screenshot(browser, "example-8-connection-restored");
    }
}
