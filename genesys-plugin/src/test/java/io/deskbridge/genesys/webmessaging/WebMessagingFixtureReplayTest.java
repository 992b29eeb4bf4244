package io.deskbridge.genesys.webmessaging;

import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.WAIT;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.await;
import static io.deskbridge.testkit.CallbackMatchers.agentEnded;
import static io.deskbridge.testkit.CallbackMatchers.agentTyping;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static io.deskbridge.testkit.CallbackMatchers.messageWithText;
import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.UserMessage;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Genesys's recorded web messaging frames replayed through the desk, one chat each: every response class, event type
 * and error code that Genesys's messenger transport SDK ({@code MyPureCloud/genesys-messenger-transport-mobile-sdk})
 * knows. The frames are our own test data, written after the shapes of the SDK's fixtures; each names the SDK file it
 * follows. Frames that answer a request arrive here uncorrelated (no request waits for them): the desk must ignore
 * them without harm, end the chat where Genesys says the session is gone, and otherwise go on.
 */
@DisplayName("Genesys's recorded frames, replayed")
class WebMessagingFixtureReplayTest {
    private static final String RESPONSE_KT = "transport/src/androidUnitTest/kotlin/transport/util/Response.kt";
    private static final String ERROR_CODE_KT = "transport/src/commonMain/kotlin/com/genesys/cloud/messenger/transport/core/ErrorCode.kt";

    /** What the chat does with a frame. */
    private enum Outcome { DELIVERS, TYPING_ON, TYPING_OFF, ENDS, GOES_ON }

    /**
     * One recorded frame.
     *
     * @param name what it is
     * @param source the SDK file whose fixture it follows
     * @param frame the frame as Genesys sends it
     * @param outcome what the chat does
     * @param text for {@link Outcome#DELIVERS}, the text the user sees
     */
    private record Fixture(String name, String source, String frame, Outcome outcome, String text) {
        static Fixture of(String name, String source, String frame, Outcome outcome) {
            return new Fixture(name, source, frame, outcome, "");
        }
    }

    private static List<Fixture> fixtures() {
        String outbound = "\"direction\":\"Outbound\",\"channel\":{\"time\":\"2022-08-22T19:24:26.704Z\",\"type\":\"Private\"}";
        return List.of(
                new Fixture("StructuredMessage Text, outbound", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"StructuredMessage\",\"code\":200,\"body\":{\"text\":\"Hello world!\",\"direction\":\"Outbound\","
                                + "\"id\":\"fx-text\",\"channel\":{\"time\":\"2022-08-22T19:24:26.704Z\",\"messageId\":\"fx-text\"},\"type\":\"Text\"},"
                                + "\"tracingId\":\"some_custom_message_id\"}", Outcome.DELIVERS, "Hello world!"),
                new Fixture("StructuredMessage Text with an attachment", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"StructuredMessage\",\"code\":200,\"body\":{" + outbound
                                + ",\"id\":\"fx-att\",\"type\":\"Text\","
                                + "\"text\":\"Hi\",\"content\":[{\"contentType\":\"Attachment\","
                                + "\"attachment\":{\"id\":\"attachment_id\",\"filename\":\"image.png\","
                                + "\"mediaType\":\"Image\",\"url\":\"https://example.com/image.png\"}}]}}",
                                Outcome.DELIVERS, "Hi\nimage.png: https://example.com/image.png"),
                new Fixture("Structured with quick replies, from a bot", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"StructuredMessage\",\"code\":200,\"body\":{" + outbound
                                + ",\"id\":\"fx-qr\",\"type\":\"Structured\","
                                + "\"text\":\"Pick one\",\"originatingEntity\":\"Bot\","
                                + "\"content\":[{\"contentType\":\"QuickReply\",\"quickReply\":{\"text\":\"text_a\","
                                + "\"payload\":\"payload_a\",\"action\":\"action_a\"}}]}}", Outcome.DELIVERS, "Pick one\nOptions: text_a"),
                new Fixture("Structured with two quick replies (onMessageWithQuickReplies)", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"StructuredMessage\",\"code\":200,\"body\":{\"direction\":\"Outbound\",\"id\":\"fx-qr2\","
                                + "\"channel\":{\"time\":\"some_time\",\"type\":\"Private\"},\"type\":\"Structured\",\"text\":\"Hi\",\"content\":["
                                + "{\"contentType\":\"QuickReply\",\"quickReply\":{\"text\":\"text_a\",\"payload\":\"payload_a\",\"action\":\"action_a\"}},"
                                + "{\"contentType\":\"QuickReply\",\"quickReply\":{\"text\":\"text_b\",\"payload\":\"payload_b\",\"action\":\"action_b\"}}],"
                                + "\"originatingEntity\":\"Bot\"}}", Outcome.DELIVERS, "Hi\nOptions: text_a / text_b"),
                new Fixture("Structured card with a postback (onMessageWithPostbackCardReply)", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"StructuredMessage\",\"code\":200,\"body\":{\"direction\":\"Outbound\",\"id\":\"fx-card\","
                                + "\"channel\":{\"time\":\"some_time\",\"type\":\"Private\"},\"type\":\"Structured\","
                                + "\"text\":\"You selected this card option\","
                                + "\"content\":[{\"contentType\":\"Card\",\"card\":{\"title\":\"Title\",\"description\":\"Description\",\"image\":"
                                + "\"http://image.com/image.png\",\"actions\":[{\"type\":\"Postback\",\"text\":\"Select this option\",\"payload\":"
                                + "\"postback_payload\"}]}}],\"originatingEntity\":\"Bot\"}}", Outcome.DELIVERS,
                        "You selected this card option\nTitle\nDescription\nOptions: Select this option"),
                new Fixture("Structured carousel of link cards without text", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"StructuredMessage\",\"code\":200,\"body\":{" + outbound
                                + ",\"id\":\"fx-carousel\",\"type\":\"Structured\",\"content\":[{\"contentType\":\"Carousel\",\"carousel\":{\"cards\":["
                                + "{\"title\":\"Plan A\",\"description\":\"Cheap\",\"actions\":[{\"type\":\"Link\",\"text\":\"More\","
                                + "\"url\":\"https://example.com/a\"}]},"
                                + "{\"title\":\"Plan B\",\"description\":\"Fast\",\"defaultAction\":{\"type\":\"Link\",\"text\":\"Open\",\"url\":"
                                + "\"https://example.com/b\"},\"actions\":[]}]}}],\"originatingEntity\":\"Bot\"}}",
                        Outcome.DELIVERS,
                        "Plan A\nCheap\nMore: https://example.com/a\nPlan B\nFast\nhttps://example.com/b"),
                new Fixture("Structured without quick replies, from a bot", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"StructuredMessage\",\"code\":200,\"body\":{" + outbound
                                + ",\"id\":\"fx-bot\",\"type\":\"Structured\","
                                + "\"text\":\"Hi from the bot\",\"originatingEntity\":\"Bot\"}}", Outcome.DELIVERS, "Hi from the bot"),
                new Fixture("Structured date picker", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"StructuredMessage\",\"code\":200,\"body\":{" + outbound
                                + ",\"id\":\"fx-dp\",\"originatingMessageId\":"
                                + "\"fx-dp\",\"type\":\"Structured\",\"text\":\"Pick a time\",\"content\":[{\"contentType\":\"DatePicker\",\"datePicker\":"
                                + "{\"title\":\"Appointments\"}}]}}", Outcome.DELIVERS, "Pick a time\nAppointments"),
                new Fixture("Structured date picker with slots, without text", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"StructuredMessage\",\"code\":200,\"body\":{" + outbound
                                + ",\"id\":\"fx-dp-slots\",\"type\":\"Structured\",\"content\":[{\"contentType\":\"DatePicker\",\"datePicker\":"
                                + "{\"title\":\"Appointments\",\"subtitle\":\"Pick one\",\"availableTimes\":[{\"duration\":30,\"dateTime\":"
                                + "\"2022-08-22T19:24:26.704Z\"},{\"duration\":30,\"dateTime\":\"2022-08-22T21:00:00.000+02:00\"}]}}],"
                                + "\"originatingEntity\":\"Bot\"}}", Outcome.DELIVERS,
                        "Appointments\nPick one\nAvailable times: 2022-08-22T19:24:26.704Z, 2022-08-22T19:00:00Z"),
                Fixture.of("Event Typing On (5000 ms)", RESPONSE_KT, events("fx-typing-on",
                        "{\"eventType\":\"Typing\",\"typing\":{\"type\":\"On\",\"duration\":5000}}"), Outcome.TYPING_ON),
                Fixture.of("Event Typing Off after On", RESPONSE_KT, events("fx-typing-off",
                        "{\"eventType\":\"Typing\",\"typing\":{\"type\":\"On\",\"duration\":5000}},{\"eventType\":\"Typing\",\"typing\":{\"type\":\"Off\","
                                + "\"duration\":1000}}"), Outcome.TYPING_OFF),
                Fixture.of("Event Presence Join (a conversation autostart, no agent)", RESPONSE_KT, events("fx-join",
                        "{\"eventType\":\"Presence\",\"presence\":{\"type\":\"Join\"}}"), Outcome.GOES_ON),
                Fixture.of("Event Presence SignIn", RESPONSE_KT, events("fx-signin",
                        "{\"eventType\":\"Presence\",\"presence\":{\"type\":\"SignIn\"}}"), Outcome.GOES_ON),
                Fixture.of("Event of an unknown type", RESPONSE_KT, events("fx-unknown",
                        "{\"eventType\":\"Fake\",\"bloop\":{\"bip\":\"bop\"}}"), Outcome.GOES_ON),
                Fixture.of("Event Presence Disconnect", RESPONSE_KT, events("fx-disconnect",
                        "{\"eventType\":\"Presence\",\"presence\":{\"type\":\"Disconnect\"}}"), Outcome.ENDS),
                Fixture.of("SessionExpiredEvent", RESPONSE_KT,
                        "{\"type\":\"response\",\"class\":\"SessionExpiredEvent\",\"code\":200,\"body\":{}}", Outcome.ENDS),
                Fixture.of("ConnectionClosedEvent without reason", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"ConnectionClosedEvent\",\"code\":200,\"body\":{}}", Outcome.ENDS),
                Fixture.of("ConnectionClosedEvent, signed in elsewhere", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"ConnectionClosedEvent\",\"code\":200,\"body\":{\"reason\":\"signedIn\"}}", Outcome.ENDS),
                Fixture.of("LogoutEvent", RESPONSE_KT, "{\"type\":\"message\",\"class\":\"LogoutEvent\",\"code\":200,\"body\":{}}", Outcome.ENDS),
                Fixture.of("SessionClearedEvent", RESPONSE_KT, "{\"type\":\"message\",\"class\":\"SessionClearedEvent\",\"code\":200,\"body\":{}}",
                        Outcome.ENDS),
                Fixture.of("error 4006 session expired", RESPONSE_KT,
                        "{\"type\": \"response\",\"class\": \"string\",\"code\": 4006,\"body\": \"session expired error message\"}", Outcome.ENDS),
                Fixture.of("error 4007 session not found", RESPONSE_KT,
                        "{\"type\": \"response\",\"class\": \"string\",\"code\": 4007,\"body\": \"session not found error message\"}", Outcome.ENDS),
                Fixture.of("SessionResponse, unsolicited", RESPONSE_KT,
                        "{\"type\":\"response\",\"class\":\"SessionResponse\",\"code\":200,\"body\":{\"connected\":true,\"newSession\":false}}",
                                Outcome.GOES_ON),
                Fixture.of("JwtResponse, unsolicited", RESPONSE_KT,
                        "{\"type\":\"response\",\"class\":\"JwtResponse\",\"code\":200,\"body\":{\"jwt\":\"some_jwt\",\"exp\":333}}", Outcome.GOES_ON),
                Fixture.of("echo answer with the session's duration and expiry", RESPONSE_KT,
                        "{\"type\":\"response\",\"class\":\"StructuredMessage\",\"code\":200,\"body\":{\"text\":\"ping\",\"type\":\"Text\",\"direction\":"
                                + "\"Inbound\",\"id\":\"echo_id\",\"metadata\":{\"durationSeconds\":\"86400\",\"expirationDate\":\"4102444800\"}},"
                                + "\"tracingId\":\"SGVhbHRoQ2hlY2tNZXNzYWdlSWQ=\"}", Outcome.GOES_ON),
                Fixture.of("PresignedUrlResponse, unsolicited", RESPONSE_KT,
                        "{\"type\":\"response\",\"class\":\"PresignedUrlResponse\",\"code\":200,\"body\":{\"attachmentId\":\"test_attachment_id\","
                                + "\"headers\":{\"x-amz-tagging\":\"abc\"},\"url\":\"https://downloadurl.png\"}}", Outcome.GOES_ON),
                Fixture.of("PresignedUrlResponse of a refreshed download URL (getAttachment's answer: no headers, a fileSize), unsolicited",
                        RESPONSE_KT, "{\"type\":\"response\",\"class\":\"PresignedUrlResponse\",\"code\":200,\"body\":{\"attachmentId\":"
                                + "\"88888888-8888-8888-8888-888888888888\",\"headers\":{},\"url\":\"https://downloadurl.com\",\"fileName\":"
                                + "\"image.png\",\"fileSize\":1,\"fileType\":\"image/png\"}}", Outcome.GOES_ON),
                Fixture.of("UploadSuccessEvent of an unknown attachment", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"UploadSuccessEvent\",\"code\":200,\"body\":{\"attachmentId\":\"test_attachment_id\","
                                + "\"downloadUrl\":\"https://downloadurl.png\",\"timestamp\":\"2022-08-22T19:24:26.704Z\"}}", Outcome.GOES_ON),
                Fixture.of("UploadFailureEvent of an unknown attachment", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"UploadFailureEvent\",\"code\":200,\"body\":{\"attachmentId\":\"test_attachment_id\","
                                + "\"errorCode\":4001,\"errorMessage\":\"a generic error\",\"timestamp\":\"2022-08-22T19:24:26.704Z\"}}", Outcome.GOES_ON),
                Fixture.of("GenerateUrlError of an unknown attachment", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"GenerateUrlError\",\"code\":200,\"body\":{\"attachmentId\":\"test_attachment_id\","
                                + "\"errorCode\":4001,\"errorMessage\":\"a generic error\"}}", Outcome.GOES_ON),
                Fixture.of("AttachmentDeletedResponse", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"AttachmentDeletedResponse\",\"code\":200,\"body\":{\"attachmentId\":\"attachment_id\"}}",
                        Outcome.GOES_ON),
                Fixture.of("TooManyRequestsErrorMessage (4029), uncorrelated", RESPONSE_KT,
                        "{\"type\":\"response\",\"class\":\"TooManyRequestsErrorMessage\",\"code\":429,\"body\":{\"retryAfter\":1,\"errorCode\":4029,"
                                + "\"errorMessage\":\"Message rate too high for this session\"}}", Outcome.GOES_ON),
                Fixture.of("error 400 request failed", RESPONSE_KT,
                        "{\"type\":\"response\",\"class\":\"string\",\"code\":400,\"body\":\"Request failed.\"}", Outcome.GOES_ON),
                Fixture.of("error 401 unauthorized", RESPONSE_KT,
                        "{\"type\": \"response\",\"class\": \"string\",\"code\": 401,\"body\": \"User is unauthorized\"}", Outcome.GOES_ON),
                Fixture.of("error 403 HTTP authorization", RESPONSE_KT,
                        "{\"type\":\"response\",\"class\":\"string\",\"code\":403,\"body\":\"HTTP authorization error\"}", Outcome.GOES_ON),
                Fixture.of("error 403 typing indicator forbidden", RESPONSE_KT,
                        "{\"type\":\"response\",\"class\":\"string\",\"code\":403,\"body\":\"Turn on the Feature Toggle or fix the configuration.\"}",
                        Outcome.GOES_ON),
                Fixture.of("error 403 Clear not supported", RESPONSE_KT,
                        "{\"type\":\"response\",\"class\":\"string\",\"code\":403,\"body\":\"Presence events Conversation Clear are not supported\"}",
                        Outcome.GOES_ON),
                Fixture.of("error 4011 message too long", RESPONSE_KT,
                        "{\"type\": \"response\",\"class\": \"string\",\"code\": 4011,\"body\": \"message too long\"}", Outcome.GOES_ON),
                Fixture.of("error 4013 custom attributes too large", RESPONSE_KT,
                        "{\"type\":\"response\",\"class\":\"string\",\"code\":4013,\"body\":\"Custom Attributes in channel metadata is larger than "
                                + "2048 bytes\"}",
                        Outcome.GOES_ON),
                Fixture.of("error 4017 cannot downgrade to unauthenticated", RESPONSE_KT,
                        "{\"type\": \"response\",\"class\": \"string\",\"code\": 4017,\"body\": \"cannot downgrade\"}", Outcome.GOES_ON),
                Fixture.of("error 5000 unexpected", RESPONSE_KT,
                        "{\"type\":\"response\",\"class\":\"string\",\"code\":5000,\"body\":\"Request failed.\"}", Outcome.GOES_ON),
                Fixture.of("error codes 4000-4010 and 4020 as text", ERROR_CODE_KT, "", Outcome.GOES_ON),
                Fixture.of("a frame that is not JSON", RESPONSE_KT, "not json at all", Outcome.GOES_ON),
                Fixture.of("a frame of an unknown class", RESPONSE_KT,
                        "{\"type\":\"message\",\"class\":\"SomethingNew\",\"code\":200,\"body\":{}}", Outcome.GOES_ON));
    }

    private static String events(String id, String events) {
        return "{\"type\": \"message\",\"class\": \"StructuredMessage\",\"code\": 200,\"body\": {\"direction\": \"Outbound\",\"id\": \"" + id
                + "\",\"channel\": {\"time\": \"2022-03-09T13:35:31.104Z\",\"messageId\": \"" + id + "\"},\"type\": \"Event\",\"metadata\": "
                + "{\"correlationId\":\"0000000-0000-0000-0000-0000000000\"},\"events\": [" + events + "]}}";
    }

    @TestFactory
    Stream<DynamicTest> replayed() {
        return fixtures().stream().map(fixture -> DynamicTest.dynamicTest(fixture.name() + " (" + fixture.source() + ")", () -> replay(fixture)));
    }

    private static void replay(Fixture fixture) {
        try (WebMessagingHarness h = WebMessagingHarness.start()) {
            var chat = h.joined();
            if (fixture.frame().isEmpty()) {
                // ErrorCode.kt's codes without a Response.kt fixture, in the same shape.
                for (int code : new int[] {4000, 4001, 4002, 4003, 4004, 4005, 4008, 4009, 4010, 4020}) {
                    chat.session().sendRawFrame("{\"type\":\"response\",\"class\":\"string\",\"code\":" + code + ",\"body\":\"error " + code + "\"}");
                }
            } else {
                chat.session().sendRawFrame(fixture.frame());
            }
            switch (fixture.outcome()) {
                case DELIVERS -> {
                    chat.callback().awaitEvent(messageWithText(fixture.text()), "the message", WAIT);
                    AgentMessage message = chat.callback().messages().get(chat.callback().messages().size() - 1);
                    if (fixture.frame().contains("\"Bot\"")) {
                        assertThat(message.origin()).isEqualTo(MessageOrigin.BOT);
                    }
                }
                case TYPING_ON -> chat.callback().awaitEvent(agentTyping(true), "agentTyping(true)", WAIT);
                case TYPING_OFF -> chat.callback().awaitEvent(agentTyping(false), "agentTyping(false)", WAIT);
                case ENDS -> chat.callback().awaitEvent(agentEnded(), "agentEndedChat", WAIT);
                case GOES_ON -> {
                    // The chat goes on both ways: an agent message arrives and a user message is confirmed.
                    String probe = chat.session().agentSends("still here");
                    chat.callback().awaitEvent(messageWithId(probe), "the agent's next message", WAIT);
                    await(chat.desk().sendMessageToAgent(new UserMessage("after-" + Math.abs(fixture.name().hashCode()), "and me")));
                    assertThat(chat.callback().eventsOf(CallbackEvent.AgentEnded.class)).isEmpty();
                    assertThat(chat.callback().eventsOf(CallbackEvent.AgentJoined.class)).hasSize(1);
                }
            }
        }
    }
}
