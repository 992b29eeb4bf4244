package io.deskbridge.genesys.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

/** Talks to the simulator with the JDK HttpClient exactly as a desk would; a test's hands on the guest side. */
final class GuestClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONVERSATIONS = "/api/v2/webchat/guest/conversations";

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final GenesysSimulator simulator;

    GuestClient(GenesysSimulator simulator) {
        this.simulator = simulator;
    }

    /** A valid create request for the simulator's default deployment and queue. */
    ObjectNode createRequest() {
        ObjectNode request = JSON.createObjectNode();
        request.put("organizationId", simulator.organizationId());
        request.put("deploymentId", simulator.defaultDeployment().id());
        request.putObject("routingTarget").put("targetType", "QUEUE")
                .put("targetAddress", simulator.defaultQueue().name());
        ObjectNode memberInfo = request.putObject("memberInfo").put("displayName", "Jane Doe");
        memberInfo.putObject("customFields").put("topic", "billing").put("sessionRef", "s-1");
        return request;
    }

    HttpResponse<String> create(JsonNode body, String... headers) {
        return send("POST", simulator.apiBaseUrl() + CONVERSATIONS, body.toString(), "application/json", headers);
    }

    /** Creates a conversation and returns the create answer (asserting 200). */
    Created createChat() {
        HttpResponse<String> response = create(createRequest());
        if (response.statusCode() != 200) {
            throw new AssertionError("create failed: " + response.statusCode() + " " + response.body());
        }
        JsonNode body = parse(response);
        return new Created(body.path("id").asText(), body.path("jwt").asText(),
                URI.create(body.path("eventStreamUri").asText()), body.path("member").path("id").asText());
    }

    record Created(String id, String jwt, URI eventStreamUri, String memberId) {
        String path(String rest) {
            return CONVERSATIONS + "/" + id + rest;
        }
    }

    HttpResponse<String> guest(String method, String path, String jwt, String body) {
        return send(method, simulator.apiBaseUrl() + path, body, "application/json",
                "Authorization", "Bearer " + jwt);
    }

    HttpResponse<String> sendMessage(Created chat, String text) {
        return guest("POST", chat.path("/members/" + chat.memberId() + "/messages"), chat.jwt(),
                JSON.createObjectNode().put("body", text).put("bodyType", "standard").toString());
    }

    HttpResponse<String> platform(String method, String path, String token, String body) {
        return send(method, simulator.apiBaseUrl() + path, body, "application/json", "Authorization",
                "Bearer " + token);
    }

    HttpResponse<String> oauth(String clientId, String secret, String form) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes());
        return send("POST", simulator.loginBaseUrl() + "/oauth/token", form, "application/x-www-form-urlencoded",
                "Authorization", "Basic " + basic);
    }

    String accessToken() {
        HttpResponse<String> response = oauth(GenesysSimulator.DEFAULT_CLIENT_ID,
                GenesysSimulator.DEFAULT_CLIENT_SECRET, "grant_type=client_credentials");
        return parse(response).path("access_token").asText();
    }

    HttpResponse<String> send(String method, String url, String body, String contentType, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + method + " " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    StreamRecorder openStream(Created chat) {
        return StreamRecorder.open(http, chat.eventStreamUri());
    }

    static JsonNode parse(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    static JsonNode jwtClaims(String jwt) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
