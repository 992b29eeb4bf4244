package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.deskbridge.spi.UserIdentity;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Authenticated chats (webchat.auth=jwt)")
class AuthenticatedChatTest {
    private static final String SECRET = "a-test-secret-that-is-at-least-32-bytes-long";
    private static final String AUDIENCE = "deskbridge-webchat";
    private static final KeyPair SITE_KEYS = rsaKeys();
    private static final KeyPair OTHER_KEYS = rsaKeys();

    private ScriptedDesk.Provider desk;
    private WebChatFixture web;

    @AfterEach
    void stop() {
        if (web != null) {
            web.close();
        }
    }

    private static JWTClaimsSet.Builder claims(String subject, Instant expiry) {
        return new JWTClaimsSet.Builder().subject(subject).audience(AUDIENCE).issuer("https://shop.example.com")
                .expirationTime(Date.from(expiry)).issueTime(new Date()).claim("name", "Grace Hopper").claim("email", "grace@example.com");
    }

    private static String hs256(JWTClaimsSet claims, String secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rs256(JWTClaimsSet claims, KeyPair keys) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
            jwt.sign(new RSASSASigner(keys.getPrivate()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(KeyPair keys) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static String hello(String token) {
        return "{\"type\":\"hello\",\"authToken\":\"" + token + "\"}";
    }

    /** Says hello with {@code frame}, expects a refusal naming {@code problem}, and checks that no chat can start. */
    private void refused(String frame, String problem) {
        try (ChatClient client = ChatClient.connect(web.uri())) {
            client.send(frame);
            JsonNode error = client.awaitBadRequest("NOT_AUTHENTICATED");
            assertThat(error.path("messageToUser").asText()).contains(problem);
            client.send("{\"type\":\"startChat\"}");
            client.awaitBadRequest("HELLO_REQUIRED");
            assertThat(client.all("welcome")).isEmpty();
            assertThat(desk.chats()).isEmpty();
        }
    }

    @Nested
    @DisplayName("with an HS256 secret")
    class Hs256 {

        @BeforeEach
        void start() {
            desk = new ScriptedDesk.Provider();
            web = WebChatFixture.start(desk, Map.of("webchat.auth", "jwt", "webchat.auth.secret", SECRET,
                    "webchat.auth.audience", AUDIENCE));
        }

        @Test
        @DisplayName("a valid token starts a chat and its identity (sub, name, email) reaches the desk as the verified user")
        void valid() {
            try (ChatClient client = ChatClient.connect(web.uri())) {
                client.send(hello(hs256(claims("user-42", Instant.now().plusSeconds(600)).build(), SECRET)));
                client.await("welcome");
                client.send("{\"type\":\"startChat\"}");
                client.await("chatStarted");
                ScriptedDesk chat = desk.latestChat();
                assertThat(chat.options.verifiedUser()).contains(new UserIdentity("user-42",
                        java.util.Optional.of("Grace Hopper"), java.util.Optional.of("grace@example.com")));
                Await.until(() -> !chat.states.isEmpty(), "the chat state at the desk");
                assertThat(chat.states.get(0).userId()).contains("user-42");
                assertThat(chat.states.get(0).displayName()).contains("Grace Hopper");
            }
        }

        @Test
        @DisplayName("a missing token is refused and no chat starts")
        void missing() {
            refused("{\"type\":\"hello\"}", "Sign-in required");
        }

        @Test
        @DisplayName("an expired token is refused")
        void expired() {
            refused(hello(hs256(claims("user-42", Instant.now().minus(Duration.ofMinutes(10))).build(), SECRET)), "expired");
        }

        @Test
        @DisplayName("a token for another audience is refused")
        void wrongAudience() {
            refused(hello(hs256(claims("user-42", Instant.now().plusSeconds(600)).audience("another-app").build(), SECRET)),
                    "another audience");
        }

        @Test
        @DisplayName("a token signed with another secret is refused")
        void wrongSignature() {
            refused(hello(hs256(claims("user-42", Instant.now().plusSeconds(600)).build(), "another-secret-of-at-least-32-bytes!!")),
                    "signature");
        }

        @Test
        @DisplayName("a token without expiry, an unsigned token and a non-JWT are refused")
        void malformed() {
            JWTClaimsSet noExpiry = new JWTClaimsSet.Builder().subject("user-42").audience(AUDIENCE).build();
            refused(hello(hs256(noExpiry, SECRET)), "required claim");
            String unsigned = new com.nimbusds.jwt.PlainJWT(claims("user-42", Instant.now().plusSeconds(600)).build()).serialize();
            refused(hello(unsigned), "not valid");
            refused(hello("hello-i-am-admin"), "not a JWT");
        }

        @Test
        @DisplayName("a resume token of another user's session does not resume it")
        void otherUsersSession() {
            String token;
            try (ChatClient grace = ChatClient.connect(web.uri())) {
                grace.send(hello(hs256(claims("grace", Instant.now().plusSeconds(600)).build(), SECRET)));
                token = grace.await("welcome").path("resumeToken").asText();
                grace.send("{\"type\":\"startChat\"}");
                grace.await("chatStarted");
            }
            try (ChatClient mallory = ChatClient.connect(web.uri())) {
                mallory.send("{\"type\":\"hello\",\"resumeToken\":\"" + token + "\",\"authToken\":\""
                        + hs256(claims("mallory", Instant.now().plusSeconds(600)).build(), SECRET) + "\"}");
                JsonNode welcome = mallory.await("welcome");
                assertThat(welcome.path("resumed").asBoolean()).isFalse();
                assertThat(welcome.has("chat")).isFalse();
            }
        }

        @Test
        @DisplayName("no secret reaches the page or the health endpoint")
        void noSecretOnThePage() throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            for (String path : new String[] {"/", "/chat.js", "/chat.css", "/health"}) {
                String body = http.send(HttpRequest.newBuilder(web.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(body).doesNotContain(SECRET);
            }
            try (ChatClient client = ChatClient.connect(web.uri())) {
                client.send(hello(hs256(claims("user-42", Instant.now().plusSeconds(600)).build(), SECRET)));
                assertThat(client.await("welcome").toString()).doesNotContain(SECRET);
            }
        }
    }

    @Nested
    @DisplayName("with an RS256 public key")
    class Rs256 {
        private final KeyPair keys = SITE_KEYS;

        @BeforeEach
        void start() {
            desk = new ScriptedDesk.Provider();
            web = WebChatFixture.start(desk, Map.of("webchat.auth", "jwt", "webchat.auth.publicKey", pem(keys),
                    "webchat.auth.audience", AUDIENCE));
        }

        @Test
        @DisplayName("a token signed with the site's private key starts a chat for its subject")
        void valid() {
            try (ChatClient client = ChatClient.connect(web.uri())) {
                client.send(hello(rs256(claims("user-7", Instant.now().plusSeconds(600)).build(), keys)));
                client.await("welcome");
                client.send("{\"type\":\"startChat\"}");
                client.await("chatStarted");
                assertThat(desk.latestChat().options.verifiedUser()).hasValueSatisfying(u -> assertThat(u.id()).isEqualTo("user-7"));
            }
        }

        @Test
        @DisplayName("a token signed with another key, or with HS256, is refused")
        void wrongKey() {
            refused(hello(rs256(claims("user-7", Instant.now().plusSeconds(600)).build(), OTHER_KEYS)), "signature");
            refused(hello(hs256(claims("user-7", Instant.now().plusSeconds(600)).build(), SECRET)), "signature");
        }
    }
}
