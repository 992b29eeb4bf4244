package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.Configuration;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.SimulatedConversation;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import io.deskbridge.genesys.simulator.InProcessGenesys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in a real headless Chromium on the Genesys desk, against the Genesys simulator running in the web
 * chat's process (as {@code ./webchat.sh --genesys-simulator} runs it); the agent is played through the simulator's
 * scripting API. Screenshots go to {@code target/screenshots/genesys-*.png}.
 */
@DisplayName("The chat page in Chromium on the Genesys desk")
class BrowserGenesysChatTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String AVATAR = "data:image/svg+xml;base64,"
            + "PHN2ZyB4bWxucz0naHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmcnIHZpZXdCb3g9JzAgMCA0MCA0MCc+PGNpcmNsZSBjeD0nMjAnIGN5PScy"
            + "MCcgcj0nMjAnIGZpbGw9JyMyYTZmOTcnLz48L3N2Zz4=";

    @TempDir
    Path profile;

    private WebChatApplication app;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    static void chromiumInstalled() {
        Chromium.assumeInstalled("Browser tests");
    }

    private void start(String transport) {
        app = WebChatApplication.start(Configuration.of(Map.of("webchat.port", "0", "webchat.simulator", "genesys",
                "genesys.transport", transport)));
        browser = Chromium.start(profile);
        wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(50));
    }

    private InProcessGenesys genesys() {
        return (InProcessGenesys) app.simulator().orElseThrow();
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    private void openAndStart(String topic, String screenshot) {
        browser.get(app.server().uri().toString());
        wait.until(ExpectedConditions.elementToBeClickable(By.id("start-chat")));
        Chromium.screenshot(browser, screenshot);
        browser.findElement(By.id("topic")).sendKeys(topic);
        browser.findElement(By.id("start-chat")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("conversation")));
    }

    private void say(String text) {
        WebElement input = wait.until(ExpectedConditions.elementToBeClickable(By.id("message")));
        input.sendKeys(text);
        input.sendKeys(Keys.ENTER);
        wait.until(d -> !d.findElements(By.xpath("//li[contains(@class,'user')][.//span[text()='" + text
                + "']]//span[@class='delivery'][text()='Sent' or text()='Read']")).isEmpty());
    }

    private void awaitText(By where, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(where, text));
    }

    private List<String> agentTexts() {
        return browser.findElements(By.cssSelector("#messages li.message.agent .text")).stream().map(WebElement::getText).toList();
    }

    private void awaitEnded(String text) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("ended")));
        assertThat(browser.findElement(By.id("ended-text")).getText()).isEqualTo(text);
        assertThat(browser.findElement(By.id("message")).isDisplayed()).isFalse();
    }

    /** The simulator's agent console in a second tab, as the person playing the agent sees it; then back. */
    private void showAgentConsole(String expectedText, String screenshot) {
        String chatTab = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        browser.get(genesys().agentConsoleUrl().orElseThrow().toString());
        wait.until(d -> d.findElement(By.tagName("body")).getText().contains(expectedText));
        Chromium.screenshot(browser, screenshot);
        browser.close();
        browser.switchTo().window(chatTab);
    }

    @Nested
    @DisplayName("guest chat")
    class GuestChat {

        private SimulatedConversation conversation() {
            GenesysSimulator simulator = genesys().simulator();
            SimulatedConversation chat = simulator.awaitConversation(WAIT);
            assertThat(chat.awaitRouted(WAIT)).isTrue();
            return chat;
        }

        @Test
        @DisplayName("a user starts a chat, the agent joins with name and avatar, messages both ways, the agent ends the chat")
        void agentEnds() {
            start("guest-chat");
            openAndStart("A question about my order", "genesys-guest-chat-0-start");
            awaitText(By.id("agents-online-text"), "Agents are online");
            SimulatedConversation chat = conversation();
            assertThat(chat.guestCustomFields()).containsEntry("topic", "A question about my order");

            chat.agentJoins("alex", "Alex Agent", genesys().agentConsoleUrl().orElseThrow().resolve("avatars/alex.svg"));
            awaitText(By.id("agent-name"), "Alex Agent");
            awaitText(By.id("agent-status"), "In the chat");
            wait.until(d -> d.findElement(By.id("agent-avatar")).isDisplayed());
            Chromium.screenshot(browser, "genesys-guest-chat-1-agent-joined");

            say("Hello, my parcel has not arrived");
            Await.until(() -> chat.guestMessages().contains("Hello, my parcel has not arrived"), "the user's text at the simulator");
            chat.agentSends("Sorry to hear that. Let me look it up for you.");
            wait.until(d -> agentTexts().contains("Sorry to hear that. Let me look it up for you."));
            say("Order 4711");
            Await.until(() -> chat.guestMessages().contains("Order 4711"), "the second text at the simulator");
            chat.agentSends("It leaves the warehouse today.");
            wait.until(d -> agentTexts().contains("It leaves the warehouse today."));
            assertThat(agentTexts()).containsSubsequence("Sorry to hear that. Let me look it up for you.", "It leaves the warehouse today.");
            Chromium.screenshot(browser, "genesys-guest-chat-2-messages");

            showAgentConsole("Hello, my parcel has not arrived", "genesys-guest-chat-3-agent-console");

            chat.agentEndsChat();
            awaitEnded("The agent ended the chat.");
            assertThat(chat.isEnded()).isTrue();
            Chromium.screenshot(browser, "genesys-guest-chat-4-agent-ended");
        }

        @Test
        @DisplayName("the user ends the chat with the end-chat button, and the simulator sees the guest leave")
        void userEnds() {
            start("guest-chat");
            openAndStart("Returns", "genesys-guest-chat-5-start");
            SimulatedConversation chat = conversation();
            chat.agentJoins("sam", "Sam Specialist");
            awaitText(By.id("agent-name"), "Sam Specialist");
            say("I would like to return a jacket");
            Await.until(() -> chat.guestMessages().contains("I would like to return a jacket"), "the user's text at the simulator");
            chat.agentSends("Of course, I have sent you a return label.");
            wait.until(d -> agentTexts().contains("Of course, I have sent you a return label."));

            browser.findElement(By.id("end-chat")).click();
            awaitEnded("You ended the chat.");
            Await.until(chat::endedByGuest, "the simulator to see the guest end the chat");
            Chromium.screenshot(browser, "genesys-guest-chat-6-user-ended");
        }
    }

    @Nested
    @DisplayName("web messaging")
    class WebMessaging {

        private SimulatedWebMessagingSession session() {
            WebMessagingSimulator simulator = genesys().simulator().webMessaging();
            return simulator.awaitSession(WAIT);
        }

        @Test
        @DisplayName("a user starts a chat, the agent joins with name and avatar, messages both ways, the agent ends the chat")
        void agentEnds() {
            start("web-messaging");
            openAndStart("A question about my order", "genesys-web-messaging-0-start");
            awaitText(By.id("agents-online-text"), "Agents are online");
            SimulatedWebMessagingSession session = session();

            session.agentJoins("Ada Agent", Optional.of(AVATAR));
            awaitText(By.id("agent-name"), "Ada Agent");
            awaitText(By.id("agent-status"), "In the chat");
            Chromium.screenshot(browser, "genesys-web-messaging-1-agent-joined");

            say("Hello, my parcel has not arrived");
            Await.until(() -> session.userTexts().contains("Hello, my parcel has not arrived"), "the user's text at the simulator");
            session.agentSends("Sorry to hear that. Let me look it up for you.");
            wait.until(d -> agentTexts().contains("Sorry to hear that. Let me look it up for you."));
            Chromium.screenshot(browser, "genesys-web-messaging-2-messages");

            showAgentConsole("Hello, my parcel has not arrived", "genesys-web-messaging-3-agent-console");

            session.agentEnds();
            awaitEnded("The agent ended the chat.");
            Chromium.screenshot(browser, "genesys-web-messaging-4-agent-ended");
        }

        @Test
        @DisplayName("the user ends the chat with the end-chat button, and the simulator sees the session end")
        void userEnds() {
            start("web-messaging");
            openAndStart("Returns", "genesys-web-messaging-5-start");
            SimulatedWebMessagingSession session = session();
            session.agentJoins("Grace", Optional.empty());
            awaitText(By.id("agent-name"), "Grace");
            say("I would like to return a jacket");
            Await.until(() -> session.userTexts().contains("I would like to return a jacket"), "the user's text at the simulator");
            session.agentSends("Of course, I have sent you a return label.");
            wait.until(d -> agentTexts().contains("Of course, I have sent you a return label."));

            browser.findElement(By.id("end-chat")).click();
            awaitEnded("You ended the chat.");
            Await.until(session::endedByUser, "the simulator to see the user end the session");
            Chromium.screenshot(browser, "genesys-web-messaging-6-user-ended");
        }
    }
}
