package io.deskbridge.genesys.simulator;

import static io.deskbridge.genesys.simulator.GuestClient.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The simulator's guest chat REST API")
class GuestChatRestTest {
    private GenesysSimulator simulator;
    private GuestClient client;

    @BeforeEach
    void start() {
        simulator = GenesysSimulator.builder().heartbeatInterval(Duration.ZERO).build().start();
        client = new GuestClient(simulator);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = parse(response);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(body.path("messageWithParams").asText()).isNotBlank();
        assertThat(body.path("messageParams").isObject()).isTrue();
        assertThat(body.path("details").isArray()).isTrue();
        assertThat(body.path("errors").isArray()).isTrue();
        assertThat(body.path("contextId").asText())
                .isEqualTo(response.headers().firstValue("inin-correlation-id").orElseThrow());
    }

    @Nested
    @DisplayName("creating a conversation")
    class Create {
        @Test
        @DisplayName("answers id, jwt, eventStreamUri and member.id, with the JWT claims seen on real ones")
        void createsConversation() {
            HttpResponse<String> response = client.create(client.createRequest());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("inin-correlation-id")).isPresent();
            JsonNode body = parse(response);
            assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "jwt", "eventStreamUri", "member");
            String id = body.path("id").asText();
            String jwt = body.path("jwt").asText();
            assertThat(body.path("eventStreamUri").asText())
                    .isEqualTo(simulator.eventStreamBaseUrl() + "/v1/token/" + jwt);
            JsonNode claims = GuestClient.jwtClaims(jwt);
            assertThat(claims.path("data").path("conv").asText()).isEqualTo(id);
            assertThat(claims.path("data").path("did").asText()).isEqualTo(GenesysSimulator.DEFAULT_DEPLOYMENT_ID);
            assertThat(claims.path("data").path("sub").asText()).isEqualTo(body.path("member").path("id").asText());
            assertThat(claims.path("iss").asText()).isEqualTo("urn:purecloud:webchat");
            assertThat(claims.path("org").asText()).isEqualTo(simulator.organizationId());
            assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(78_761);

            SimulatedConversation conversation = simulator.awaitConversation(Duration.ofSeconds(1));
            assertThat(conversation.id()).isEqualTo(id);
            assertThat(conversation.guestDisplayName()).isEqualTo("Jane Doe");
            assertThat(conversation.guestCustomFields()).containsEntry("topic", "billing");
            assertThat(conversation.isRouted()).as("routing waits for the event stream").isFalse();
        }

        @Test
        @DisplayName("accepts a lowercase target type and ignores unknown fields such as memberInfo.role")
        void tolerant() {
            ObjectNode request = client.createRequest();
            ((ObjectNode) request.path("routingTarget")).put("targetType", "queue");
            ((ObjectNode) request.path("memberInfo")).put("role", "CUSTOMER");
            request.put("somethingNew", true);

            assertThat(client.create(request).statusCode()).isEqualTo(200);
        }

        @Test
        @DisplayName("names each missing or malformed field with its documented error code")
        void validation() {
            List<String> codes = new ArrayList<>();
            for (String field : List.of("organizationId", "deploymentId", "routingTarget", "memberInfo")) {
                ObjectNode request = client.createRequest();
                request.remove(field);
                HttpResponse<String> response = client.create(request);
                assertThat(response.statusCode()).isEqualTo(400);
                codes.add(parse(response).path("code").asText());
            }
            ObjectNode noName = client.createRequest();
            ((ObjectNode) noName.path("memberInfo")).remove("displayName");
            codes.add(parse(client.create(noName)).path("code").asText());
            ObjectNode badDeployment = client.createRequest().put("deploymentId", "not-a-uuid");
            codes.add(parse(client.create(badDeployment)).path("code").asText());
            ObjectNode badTarget = client.createRequest();
            ((ObjectNode) badTarget.path("routingTarget")).put("targetType", "USER");
            codes.add(parse(client.create(badTarget)).path("code").asText());

            assertThat(codes).containsExactly(
                    "chat.error.notnull.createconversationrequest.organizationid",
                    "chat.error.notnull.createconversationrequest.deploymentid",
                    "chat.error.notnull.createconversationrequest.routingtarget",
                    "chat.error.notnull.createconversationrequest.memberinfo",
                    "chat.error.notnull.createconversationrequest.memberinfo.displayname",
                    "chat.error.pattern.createconversationrequest.deploymentid",
                    "chat.error.createconversationrequest.routingtarget");
            assertError(client.create(noName), 400, "chat.error.notnull.createconversationrequest.memberinfo.displayname");
            assertThat(parse(client.create(noName)).path("details").get(0).path("fieldName").asText())
                    .isEqualTo("memberInfo.displayName");
        }

        @Test
        @DisplayName("refuses an unknown queue with chat.error.invalid.queue")
        void unknownQueue() {
            ObjectNode request = client.createRequest();
            ((ObjectNode) request.path("routingTarget")).put("targetAddress", "No Such Queue");

            assertError(client.create(request), 400, "chat.error.invalid.queue");
            assertThat(simulator.conversations()).isEmpty();
        }

        @Test
        @DisplayName("refuses a disabled deployment, an unknown one, and another organization")
        void deploymentChecks() {
            simulator.putDeployment(simulator.defaultDeployment().asDisabled());
            assertError(client.create(client.createRequest()), 400, "chat.deployment.disabled");

            ObjectNode unknown = client.createRequest().put("deploymentId", "5e1e0000-0000-4000-8000-000000000999");
            assertError(client.create(unknown), 400, "chat.error.bad.request");

            ObjectNode otherOrg = client.createRequest().put("organizationId", "5e1e0000-0000-4000-8000-000000000998");
            assertError(client.create(otherOrg), 400, "chat.error.bad.request");
        }

        @Test
        @DisplayName("checks the origin against the deployment's allowed origins with 403 origin.not.allowed")
        void origins() {
            simulator.putDeployment(simulator.defaultDeployment().allowingOrigins("https://shop.example.com"));

            assertThat(client.create(client.createRequest(), "Origin", "https://shop.example.com").statusCode())
                    .isEqualTo(200);
            assertError(client.create(client.createRequest(), "Origin", "https://evil.example.com"), 403,
                    "origin.not.allowed");
            assertError(client.create(client.createRequest()), 403, "origin.not.allowed");
        }

        @Test
        @DisplayName("requires a signed-data memberAuthToken on a deployment that requires authentication")
        void authenticatedDeployment() {
            simulator.putDeployment(simulator.defaultDeployment().requiringAuthentication());

            assertError(client.create(client.createRequest()), 400, "chat.deployment.require.auth");
            assertError(client.create(client.createRequest().put("memberAuthToken", "forged.token.value")), 400,
                    "chat.deployment.bad.auth");

            String token = client.accessToken();
            HttpResponse<String> signed = client.platform("POST", "/api/v2/signeddata", token,
                    "{\"authorized\":true,\"firstName\":\"Jane\",\"accountId\":\"a-42\"}");
            assertThat(signed.statusCode()).isEqualTo(200);
            String jwt = parse(signed).path("jwt").asText();
            HttpResponse<String> created = client.create(client.createRequest().put("memberAuthToken", jwt));

            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            SimulatedConversation conversation = simulator.awaitConversation(Duration.ofSeconds(1));
            assertThat(conversation.signedData()).hasValueSatisfying(
                    data -> assertThat(data.path("accountId").asText()).isEqualTo("a-42"));
            JsonNode body = parse(created);
            JsonNode guest = parse(client.guest("GET", GuestClient.CONVERSATIONS + "/" + body.path("id").asText()
                    + "/members/" + body.path("member").path("id").asText(), body.path("jwt").asText(), null));
            assertThat(guest.path("authenticatedGuest").asBoolean()).isTrue();
        }

        @Test
        @DisplayName("answers 415 to a body that is not JSON by content type and 400 to one that does not parse")
        void badBodies() {
            HttpResponse<String> wrongType = client.send("POST", simulator.apiBaseUrl() + GuestClient.CONVERSATIONS,
                    client.createRequest().toString(), "text/plain");
            assertError(wrongType, 415, "unsupported.media.type");
            HttpResponse<String> broken = client.send("POST", simulator.apiBaseUrl() + GuestClient.CONVERSATIONS,
                    "{\"organizationId\":", "application/json");
            assertError(broken, 400, "bad.request");
        }
    }

    @Nested
    @DisplayName("the guest JWT")
    class GuestToken {
        @Test
        @DisplayName("is required on every call but create, with the scheme in any case")
        void required() {
            GuestClient.Created chat = client.createChat();
            String members = chat.path("/members");

            assertError(client.send("GET", simulator.apiBaseUrl() + members, null, null), 401,
                    "authentication.required");
            assertError(client.guest("GET", members, "not-a-jwt", null), 401, "bad.credentials");
            assertThat(client.send("GET", simulator.apiBaseUrl() + members, null, null, "Authorization",
                    "bearer " + chat.jwt()).statusCode()).isEqualTo(200);
            assertThat(client.send("GET", simulator.apiBaseUrl() + members, null, null, "Authorization",
                    "BEARER " + chat.jwt()).statusCode()).isEqualTo(200);
        }

        @Test
        @DisplayName("opens only its own conversation and acts only as its own member")
        void scoped() {
            GuestClient.Created mine = client.createChat();
            GuestClient.Created other = client.createChat();

            assertError(client.guest("GET", other.path("/members"), mine.jwt(), null), 403, "not.authorized");
            assertError(client.guest("POST", mine.path("/members/" + other.memberId() + "/typing"), mine.jwt(), null),
                    404, "chat.error.not.found");
        }

        @Test
        @DisplayName("answers 401 credentials.expired once expired")
        void expired() {
            GuestClient.Created chat = client.createChat();
            simulator.awaitConversation(Duration.ofSeconds(1)).expireGuestToken();

            assertError(client.guest("GET", chat.path("/messages"), chat.jwt(), null), 401, "credentials.expired");
        }

        @Test
        @DisplayName("expires after its lifetime on the simulator's clock")
        void expiresOnClock() {
            simulator.close();
            MutableClock clock = new MutableClock(java.time.Instant.parse("2025-01-01T00:00:00Z"));
            simulator = GenesysSimulator.builder().clock(clock).guestTokenLifetime(Duration.ofMinutes(10))
                    .heartbeatInterval(Duration.ZERO).build().start();
            client = new GuestClient(simulator);
            GuestClient.Created chat = client.createChat();
            assertThat(client.guest("GET", chat.path("/messages"), chat.jwt(), null).statusCode()).isEqualTo(200);

            clock.advance(Duration.ofMinutes(10));

            assertError(client.guest("GET", chat.path("/messages"), chat.jwt(), null), 401, "credentials.expired");
        }
    }

    @Nested
    @DisplayName("messages, typing and members")
    class Messages {
        @Test
        @DisplayName("a sent message answers a WebChatMessage and is listed by GET messages")
        void send() {
            GuestClient.Created chat = client.createChat();
            HttpResponse<String> response = client.sendMessage(chat, "Hello there");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode message = parse(response);
            assertThat(message.path("body").asText()).isEqualTo("Hello there");
            assertThat(message.path("bodyType").asText()).isEqualTo("standard");
            assertThat(message.path("sender").path("id").asText()).isEqualTo(chat.memberId());
            assertThat(message.path("conversation").path("id").asText()).isEqualTo(chat.id());
            assertThat(message.path("conversation").path("selfUri").asText())
                    .isEqualTo("/api/v2/conversations/" + chat.id());
            assertThat(message.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(message.path("selfUri").asText())
                    .isEqualTo(chat.path("/messages/" + message.path("id").asText()));

            JsonNode byId = parse(client.guest("GET", chat.path("/messages/" + message.path("id").asText()), chat.jwt(),
                    null));
            assertThat(byId).isEqualTo(message);
            assertThat(simulator.awaitConversation(Duration.ofSeconds(1)).guestMessages()).containsExactly("Hello there");
        }

        @Test
        @DisplayName("accepts 4,000 characters and refuses 4,001 with constraint.validation")
        void bodyLimit() {
            GuestClient.Created chat = client.createChat();

            assertThat(client.sendMessage(chat, "x".repeat(4000)).statusCode()).isEqualTo(200);
            HttpResponse<String> tooLong = client.sendMessage(chat, "x".repeat(4001));
            assertError(tooLong, 400, "constraint.validation");
            assertThat(parse(tooLong).path("messageParams").path("max").asText()).isEqualTo("4000");
            assertError(client.guest("POST", chat.path("/members/" + chat.memberId() + "/messages"), chat.jwt(),
                    "{\"bodyType\":\"standard\"}"), 400, "chat.error.notnull.createconversationmessagerequest.body");
            assertError(client.guest("POST", chat.path("/members/" + chat.memberId() + "/messages"), chat.jwt(),
                    "{\"body\":\"x\",\"bodyType\":\"standard | notice\"}"), 400, "invalid.value");
        }

        @Test
        @DisplayName("pages GET messages with after, before, sortOrder and maxResults")
        void paging() {
            GuestClient.Created chat = client.createChat();
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                ids.add(parse(client.sendMessage(chat, "m" + i)).path("id").asText());
            }

            JsonNode first = parse(client.guest("GET", chat.path("/messages?maxResults=2"), chat.jwt(), null));
            assertThat(bodies(first)).containsExactly("m1", "m2");
            assertThat(first.path("pageSize").asInt()).isEqualTo(2);
            assertThat(first.path("next").asText()).isEqualTo(chat.path("/messages?maxResults=2&after=" + ids.get(1)));
            JsonNode rest = parse(client.guest("GET", chat.path("/messages?after=" + ids.get(1)), chat.jwt(), null));
            assertThat(bodies(rest)).containsExactly("m3", "m4", "m5");
            assertThat(rest.has("next")).isFalse();
            JsonNode newest = parse(client.guest("GET", chat.path("/messages?sortOrder=descending&maxResults=2"),
                    chat.jwt(), null));
            assertThat(bodies(newest)).containsExactly("m5", "m4");
            JsonNode between = parse(client.guest("GET",
                    chat.path("/messages?after=" + ids.get(0) + "&before=" + ids.get(3)), chat.jwt(), null));
            assertThat(bodies(between)).containsExactly("m2", "m3");
            assertError(client.guest("GET", chat.path("/messages?after=unknown-id"), chat.jwt(), null), 404,
                    "chat.error.not.found");
            assertError(client.guest("GET", chat.path("/messages?maxResults=101"), chat.jwt(), null), 400,
                    "invalid.value");
        }

        private List<String> bodies(JsonNode page) {
            List<String> bodies = new ArrayList<>();
            page.path("entities").forEach(message -> bodies.add(message.path("body").asText()));
            return bodies;
        }

        @Test
        @DisplayName("typing answers a WebChatTyping and is counted")
        void typing() {
            GuestClient.Created chat = client.createChat();
            HttpResponse<String> response = client.guest("POST",
                    chat.path("/members/" + chat.memberId() + "/typing"), chat.jwt(), null);

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode typing = parse(response);
            assertThat(typing.fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("id", "conversation", "sender", "timestamp");
            assertThat(typing.path("sender").path("id").asText()).isEqualTo(chat.memberId());
            assertThat(simulator.awaitConversation(Duration.ofSeconds(1)).guestTypingCount()).isEqualTo(1);
        }

        @Test
        @DisplayName("GET members and GET member describe the guest; an unknown member is chat.error.not.found")
        void members() {
            GuestClient.Created chat = client.createChat();

            JsonNode list = parse(client.guest("GET", chat.path("/members"), chat.jwt(), null));
            assertThat(list.path("total").asInt()).isEqualTo(1);
            assertThat(list.path("pageSize").asInt()).isEqualTo(25);
            assertThat(list.path("pageNumber").asInt()).isEqualTo(1);
            JsonNode guest = list.path("entities").get(0);
            assertThat(guest.path("id").asText()).isEqualTo(chat.memberId());
            assertThat(guest.path("role").asText()).isEqualTo("CUSTOMER");
            assertThat(guest.path("displayName").asText()).isEqualTo("Jane Doe");
            assertThat(guest.path("state").asText()).isEqualTo("CONNECTED");
            assertThat(guest.path("customFields").path("topic").asText()).isEqualTo("billing");
            assertThat(guest.has("leaveDate")).isFalse();
            assertError(client.guest("GET", chat.path("/members/nobody"), chat.jwt(), null), 404,
                    "chat.error.not.found");
        }

        @Test
        @DisplayName("DELETE of the guest member answers 204 and ends the chat; later sends are chat.error.conversation.state")
        void leave() {
            GuestClient.Created chat = client.createChat();
            SimulatedConversation conversation = simulator.awaitConversation(Duration.ofSeconds(1));

            HttpResponse<String> deleted = client.guest("DELETE", chat.path("/members/" + chat.memberId()), chat.jwt(),
                    null);

            assertThat(deleted.statusCode()).isEqualTo(204);
            assertThat(deleted.body()).isEmpty();
            assertThat(conversation.endedByGuest()).isTrue();
            assertError(client.sendMessage(chat, "too late"), 400, "chat.error.conversation.state");
            assertError(client.guest("POST", chat.path("/members/" + chat.memberId() + "/typing"), chat.jwt(), null),
                    400, "chat.error.conversation.state");
            assertError(client.guest("DELETE", chat.path("/members/" + chat.memberId()), chat.jwt(), null), 400,
                    "chat.error.conversation.state");
            assertThat(parse(client.guest("GET", chat.path("/members/" + chat.memberId()), chat.jwt(), null))
                    .path("state").asText()).isEqualTo("DISCONNECTED");
        }

        @Test
        @DisplayName("a scripted refusal fails exactly the next message, which is not recorded")
        void failNextMessage() {
            GuestClient.Created chat = client.createChat();
            SimulatedConversation conversation = simulator.awaitConversation(Duration.ofSeconds(1));
            conversation.failNextGuestMessage();

            assertError(client.sendMessage(chat, "refused"), 400, "chat.error.bad.request");
            assertThat(client.sendMessage(chat, "accepted").statusCode()).isEqualTo(200);
            assertThat(conversation.guestMessages()).containsExactly("accepted");
        }
    }

    @Nested
    @DisplayName("faults and the request log")
    class Faults {
        @Test
        @DisplayName("the next request answers 429 with Retry-After, once")
        void tooManyRequests() {
            simulator.nextRequestTooManyRequests(7);

            HttpResponse<String> limited = client.create(client.createRequest());

            assertError(limited, 429, "too.many.requests.retry.after");
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(client.create(client.createRequest()).statusCode()).isEqualTo(200);
        }

        @Test
        @DisplayName("the next request answers 503, and a fault can target one endpoint")
        void unavailable() {
            simulator.injectFault(RequestFault.serviceUnavailable().forRequests("POST", "/api/v2/webchat"));
            GuestClient.Created chat;
            assertError(client.create(client.createRequest()), 503, "service.unavailable");
            chat = client.createChat();
            simulator.injectFault(RequestFault.of(500, "chat.error", "boom").forRequests("GET", "/api/v2/webchat"));
            assertThat(client.sendMessage(chat, "unaffected").statusCode()).isEqualTo(200);
            assertError(client.guest("GET", chat.path("/messages"), chat.jwt(), null), 500, "chat.error");
        }

        @Test
        @DisplayName("records method, path, query, headers, body and status of every request")
        void requestLog() {
            GuestClient.Created chat = client.createChat();
            client.sendMessage(chat, "logged");
            client.guest("GET", chat.path("/messages?maxResults=10"), chat.jwt(), null);

            List<RecordedRequest> requests = simulator.requests();
            assertThat(requests).extracting(RecordedRequest::line).containsExactly(
                    "POST " + GuestClient.CONVERSATIONS,
                    "POST " + chat.path("/members/" + chat.memberId() + "/messages"),
                    "GET " + chat.path("/messages"));
            RecordedRequest send = requests.get(1);
            assertThat(send.server()).isEqualTo(RecordedRequest.Server.API);
            assertThat(send.header("authorization")).hasValue("Bearer " + chat.jwt());
            assertThat(send.header("Content-Type")).hasValue("application/json");
            assertThat(send.body()).isEqualTo("{\"body\":\"logged\",\"bodyType\":\"standard\"}");
            assertThat(send.status()).isEqualTo(200);
            assertThat(requests.get(2).queryParameter("maxResults")).hasValue("10");
        }

        @Test
        @DisplayName("answers 404 not.found for an unknown path and keeps login and API apart")
        void unknownPaths() {
            assertError(client.send("GET", simulator.apiBaseUrl() + "/api/v2/nothing", null, null), 404, "not.found");
            assertError(client.send("POST", simulator.apiBaseUrl() + "/oauth/token", "grant_type=client_credentials",
                    "application/x-www-form-urlencoded"), 404, "not.found");
            assertError(client.send("GET", simulator.loginBaseUrl() + GuestClient.CONVERSATIONS, null, null), 404,
                    "not.found");
        }
    }
}
