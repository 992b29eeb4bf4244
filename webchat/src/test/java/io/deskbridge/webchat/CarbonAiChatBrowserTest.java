package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The real Carbon AI Chat web component ({@code @carbon/ai-chat} from npm, in the example page of
 * {@code webchat/examples/carbon-ai-chat}) in headless Chromium, with the deskbridge adapter the web chat serves as
 * its service desk, on the example desk. Screenshots go to {@code target/screenshots/carbon-*.png}.
 */
@DisplayName("Carbon AI Chat with the deskbridge service desk, in Chromium")
class CarbonAiChatBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path profile;
    @TempDir
    Path files;

    private WebChatFixture web;
    private CarbonExample example;
    private ChromeDriver browser;
    private CarbonPage page;

    @BeforeAll
    static void toolsInstalled() throws Exception {
        Chromium.assumeInstalled("Carbon AI Chat tests");
        CarbonExample.build();
    }

    private void start() throws Exception {
        start(Map.of());
    }

    private void start(Map<String, String> extra) throws Exception {
        example = CarbonExample.serve();
        Map<String, String> keys = new HashMap<>();
        keys.put("desk", "example");
        keys.put("webchat.allowedOrigins", example.origin());
        keys.put("example.joinDelay", "600ms");
        keys.put("example.queueUpdateInterval", "200ms");
        keys.put("example.readDelay", "100ms");
        keys.put("example.typingPause", "300ms");
        keys.put("example.transferDelay", "300ms");
        keys.putAll(extra);
        web = WebChatFixture.start(keys);
        browser = Chromium.start(profile);
        page = new CarbonPage(browser, WAIT);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (web != null) {
            web.close();
        }
        if (example != null) {
            example.close();
        }
    }

    /** Opens the example page, asks the scripted assistant for an agent and requests one from the connect card. */
    private void connectToAgent() {
        connectToAgent("");
    }

    private void connectToAgent(String fragment) {
        browser.get(example.page(web.server.port()) + fragment);
        page.awaitText("example assistant");
        Chromium.screenshot(browser, "carbon-0-assistant");
        page.send("I want to talk to an agent");
        page.awaitText("An agent is available");
        Chromium.screenshot(browser, "carbon-1-connect-card");
        page.click("Connect to agent");
        page.awaitText("I'm Ada, a simulated agent of the example service desk.");
    }

    /** The chat of the web chat session {@code token} names, as a resuming page is told it ({@code welcome.chat}). */
    private JsonNode chatAtServer(String token) {
        try (ChatClient probe = ChatClient.connect(web.uri())) {
            probe.send("{\"type\":\"hello\",\"resumeToken\":\"" + token + "\"}");
            return probe.await("welcome").path("chat");
        }
    }

    /** The resume token the adapter keeps in Carbon's persisted state (the browser's session storage). */
    private String resumeToken() {
        Object token = browser.executeScript("""
                for (let i = 0; i < sessionStorage.length; i++) {
                  const match = /"resumeToken":"([A-Za-z0-9_-]{43})"/.exec(sessionStorage.getItem(sessionStorage.key(i)) || '');
                  if (match) return match[1];
                }
                return null;""");
        assertThat(token).as("a resume token in Carbon's persisted state").isNotNull();
        return (String) token;
    }

    @Test
    @DisplayName("the user asks for an agent, requests one, chats with Ada and is transferred to Sam, reloads into the same chat, and ends it")
    void chatWithTheExampleAgents() throws Exception {
        start();
        connectToAgent();
        WebElement avatar = page.await("img[src^='data:image/svg+xml']", null);
        assertThat(avatar.getAttribute("src")).startsWith("data:image/svg+xml;base64,");
        page.awaitText("Ada");
        Chromium.screenshot(browser, "carbon-2-agent-joined");

        page.send("My invoice shows the wrong amount");
        page.awaitText("Thanks, I have noted that.");

        page.send("someone else");
        page.awaitText("I'm Sam, a simulated agent of the example service desk.");
        page.send("Hello Sam");
        page.awaitText("I see. Is there anything else I can do for you?");
        Chromium.screenshot(browser, "carbon-3-mid-chat");
        String token = resumeToken();
        assertThat(web.server.sessions().size()).isEqualTo(1);

        browser.navigate().refresh();
        // Carbon calls reconnect(): the adapter resumes the session its persisted token names, still with Sam.
        page.await("button, cds-button", "Disconnect");
        page.awaitText("Sam");
        page.send("Are you still there?");
        page.awaitText("That is interesting; tell me more.");
        assertThat(resumeToken()).as("the same web chat session after the reload").isEqualTo(token);
        assertThat(web.server.sessions().size()).isEqualTo(1);
        Chromium.screenshot(browser, "carbon-4-after-reload");

        page.click("Disconnect");
        page.await("button, cds-button", "Go back");
        Chromium.screenshot(browser, "carbon-5-end-confirm");
        page.click("Disconnect"); // the confirmation's button, the last one shown
        Await.until(() -> chatAtServer(token).path("status").asText().equals("ended"), "the chat to end at the server");
        assertThat(chatAtServer(token).path("endReason").asText()).as("ended by the user").isEqualTo("user");
        page.awaitText("You disconnected from the live agent");
        Chromium.screenshot(browser, "carbon-6-ended");
    }

    /** Attaches a file with Carbon's file picker (its hidden file input). */
    private void attach(Path file) {
        List<WebElement> inputs = page.find("input[type=file]", null);
        assertThat(inputs).as("Carbon's file input (file uploads allowed by the desk's capabilities)").isNotEmpty();
        inputs.get(0).sendKeys(file.toAbsolutePath().toString());
    }

    @Test
    @DisplayName("a file sent from the widget reaches the agent; a file the desk refuses shows the desk's reason next to it")
    void files() throws Exception {
        start();
        connectToAgent();
        Path invoice = Files.writeString(files.resolve("invoice.txt"), "Invoice 4711: 99.00 EUR");
        attach(invoice);
        page.awaitText("invoice.txt");
        page.click("Send message");
        page.awaitText("Thanks, I received invoice.txt (23 bytes).");
        Chromium.screenshot(browser, "carbon-7-file-sent");

        Path program = Files.write(files.resolve("setup.exe"), new byte[] {0x4d, 0x5a, 0, 0});
        attach(program);
        page.awaitText("the service desk accepts");
        Chromium.screenshot(browser, "carbon-8-file-refused");
    }

    @Test
    @DisplayName("authenticated mode: the host page's token reaches the web chat, and the desk greets the verified user by name")
    void signedInUser() throws Exception {
        String secret = "a-test-secret-that-is-at-least-32-bytes-long";
        start(Map.of("webchat.auth", "jwt", "webchat.auth.secret", secret, "webchat.auth.audience", "deskbridge-webchat"));
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("user-42")
                .audience("deskbridge-webchat").expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .claim("name", "Grace Hopper").build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        connectToAgent("#authToken=" + jwt.serialize());
        page.awaitText("Hi Grace Hopper! I'm Ada");
        Chromium.screenshot(browser, "carbon-9-signed-in");
    }
}
