package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskbridge.core.Configuration;
import io.deskbridge.genesys.simulator.InProcessGenesys;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The real Carbon AI Chat web component with the deskbridge adapter, on the Genesys desk (web messaging) against the
 * Genesys simulator in the web chat's process; the agent is played through the simulator's scripting API.
 * Screenshots go to {@code target/screenshots/carbon-genesys-*.png}.
 */
@DisplayName("Carbon AI Chat with the deskbridge service desk on the Genesys desk, in Chromium")
class CarbonGenesysBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String AVATAR = "data:image/svg+xml;base64,"
            + "PHN2ZyB4bWxucz0naHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmcnIHZpZXdCb3g9JzAgMCA0MCA0MCc+PGNpcmNsZSBjeD0nMjAnIGN5PScy"
            + "MCcgcj0nMjAnIGZpbGw9JyMyYTZmOTcnLz48L3N2Zz4=";

    @TempDir
    Path profile;
    @TempDir
    Path files;

    private CarbonExample example;
    private WebChatApplication app;
    private ChromeDriver browser;
    private CarbonPage page;

    @BeforeAll
    static void toolsInstalled() throws Exception {
        Chromium.assumeInstalled("Carbon AI Chat tests");
        CarbonExample.build();
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
        if (example != null) {
            example.close();
        }
    }

    @Test
    @DisplayName("start, the agent joins with name and avatar, messages and a file both ways, a refused file, the user ends the chat")
    void chatOnGenesys() throws Exception {
        example = CarbonExample.serve();
        app = WebChatApplication.start(Configuration.of(Map.of("webchat.port", "0", "webchat.simulator", "genesys",
                "genesys.transport", "web-messaging", "webchat.allowedOrigins", example.origin())));
        browser = Chromium.start(profile);
        page = new CarbonPage(browser, WAIT);
        InProcessGenesys genesys = (InProcessGenesys) app.simulator().orElseThrow();

        browser.get(example.page(app.server().port()).toString());
        page.awaitText("example assistant");
        page.send("agent please");
        page.click("Connect to agent");
        SimulatedWebMessagingSession session = genesys.simulator().webMessaging().awaitSession(WAIT);
        session.agentJoins("Ada Agent", Optional.of(AVATAR));
        page.awaitText("Ada Agent");
        WebElement avatar = page.await("img[src='" + AVATAR + "']", null);
        assertThat(avatar.isDisplayed()).isTrue();
        Chromium.screenshot(browser, "carbon-genesys-1-agent-joined");

        page.send("Hello, my parcel has not arrived");
        Await.until(() -> session.userTexts().contains("Hello, my parcel has not arrived"), "the user's text at the simulator");
        session.agentSends("Sorry to hear that. Can you send me the receipt?");
        page.awaitText("Sorry to hear that. Can you send me the receipt?");

        Path receipt = Files.writeString(files.resolve("receipt.txt"), "Order 4711, paid 99.00 EUR");
        attach(receipt);
        page.awaitText("receipt.txt");
        page.click("Send message");
        Await.until(() -> session.userMessages().stream().anyMatch(CarbonGenesysBrowserTest::carriesReceipt),
                "the file at the simulator");
        Path program = Files.write(files.resolve("tool.bat"), "echo hi".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        attach(program);
        page.awaitText("cannot be sent");
        Chromium.screenshot(browser, "carbon-genesys-2-messages-and-files");

        page.click("Disconnect");
        page.await("button, cds-button", "Go back");
        page.click("Disconnect");
        Await.until(session::endedByUser, "the simulator to see the user end the session");
        page.awaitText("You disconnected from the live agent");
        Chromium.screenshot(browser, "carbon-genesys-3-ended");
    }

    private void attach(Path file) {
        List<WebElement> inputs = page.find("input[type=file]", null);
        assertThat(inputs).as("Carbon's file input").isNotEmpty();
        inputs.get(0).sendKeys(file.toAbsolutePath().toString());
    }

    /** A guest message with an attachment (web messaging sends the uploaded file's attachment id, not its bytes). */
    private static boolean carriesReceipt(JsonNode message) {
        for (JsonNode content : message.path("content")) {
            if (content.path("contentType").asText().equals("Attachment") && !content.path("attachment").path("id").asText().isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
