package io.deskbridge.genesys.webmessaging;

import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.WAIT;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.await;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.awaitFailure;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.awaitTrue;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserIdentity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Authenticated chats when Genesys refuses the code, as Genesys's messenger SDK handles it: a 401 to
 * {@code configureAuthenticatedSession} is retried with a fresh code at most three times, and a 403 "Session
 * authentication failed" or "Try to authenticate again" makes the chat reconnect with a fresh code. Genesys's answers
 * reach the desk in the SDK's recorded shapes (no {@code tracingId}; {@code Response.unauthorized},
 * {@code clientError403SessionAuthFailed}).
 */
@DisplayName("Web messaging authentication refusals")
class WebMessagingAuthenticationTest {
    private static final String GOOD = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2lnbmF0dXJl";
    private static final String STALE = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvbGQifQ.c2lnbmF0dXJl";
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** A harness with an authenticated deployment that accepts {@link #GOOD}, and a code source that answers {@code codes} in turn. */
    private WebMessagingHarness harness(List<String> asked, String... codes) {
        Iterator<String> answers = List.of(codes).iterator();
        WebMessagingAuthCodeSource source = (user, chatId) -> {
            synchronized (answers) {
                String code = answers.hasNext() ? answers.next() : codes[codes.length - 1];
                asked.add(code);
                return CompletableFuture.completedFuture(code);
            }
        };
        GenesysFrameRelay relay = new GenesysFrameRelay(GenesysFrameRelay.SDK_SHAPES);
        closing.add(relay);
        Map<String, String> values = new HashMap<>();
        values.put("genesys.authenticatedChat", "true");
        values.put("genesys.webMessagingUrl", relay.socketUrl().toString());
        WebMessagingHarness h = new WebMessagingHarness(WebMessagingHarness.defaultDeployment().withAuthentication(Set.of(GOOD)), values,
                Optional.of(b -> b.bind(WebMessagingAuthCodeSource.class).toInstance(source)));
        closing.add(0, h);
        relay.upstream(h.simulator.socketUrl());
        return h;
    }

    private static long configures(WebMessagingHarness h) {
        return h.simulator.receivedFrames().stream().filter(f -> f.path("action").asText().equals("configureAuthenticatedSession")).count();
    }

    @Test
    @DisplayName("A 401 to configureAuthenticatedSession is retried with a fresh code, and the chat starts")
    void retriedWithAFreshCode() {
        List<String> asked = new CopyOnWriteArrayList<>();
        WebMessagingHarness h = harness(asked, STALE, GOOD);
        var chat = h.newChat();
        await(chat.desk().startChat(ConnectRequest.of("billing", "hello"), StartChatOptions.forUser(new UserIdentity("u-1"))));
        assertThat(asked).containsExactly(STALE, GOOD);
        assertThat(configures(h)).isEqualTo(2);
    }

    @Test
    @DisplayName("After three fresh codes refused with 401 the start fails with Genesys's 401")
    void atMostThreeRetries() {
        List<String> asked = new CopyOnWriteArrayList<>();
        WebMessagingHarness h = harness(asked, STALE);
        var chat = h.newChat();
        Throwable failure = awaitFailure(chat.desk().startChat(ConnectRequest.of("billing", "hello"),
                StartChatOptions.forUser(new UserIdentity("u-1"))));
        assertThat(failure).isInstanceOf(WebMessagingException.class);
        assertThat(((WebMessagingException) failure).code()).isEqualTo(401);
        assertThat(configures(h)).isEqualTo(1 + WebMessagingSession.MAX_RECONFIGURE_ATTEMPTS);
    }

    @Test
    @DisplayName("A 403 \"Session authentication failed\" mid-chat reconnects with a fresh code, and the chat goes on")
    void sessionAuthenticationFailed() {
        List<String> asked = new CopyOnWriteArrayList<>();
        WebMessagingHarness h = harness(asked, GOOD);
        var chat = h.newChat();
        await(chat.desk().startChat(ConnectRequest.of("billing", "hello"), StartChatOptions.forUser(new UserIdentity("u-1"))));
        var session = h.simulator.awaitSession(WAIT);
        session.agentJoins("Ada", Optional.empty());
        session.sendRawFrame("{\"type\":\"response\",\"class\":\"string\",\"code\":403,\"body\":\"Session authentication failed\"}");
        chat.callback().awaitEvent(e -> e instanceof CallbackEvent.ErrorStatus s && s.error().equals(new ErrorInfo.Disconnected(false)),
                "Disconnected(false) after the reconnect", WAIT);
        awaitTrue(() -> asked.size() == 2 && configures(h) == 2, "a second configure with a fresh code");
        String id = session.agentSends("welcome back");
        chat.callback().awaitEvent(messageWithId(id), "the agent's message after the reconnect", WAIT);
    }
}
