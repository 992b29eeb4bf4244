package io.deskbridge.genesys.simulator.webmessaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The refusals the web messaging socket sends, shaped as Genesys's. */
final class ErrorFrames {
    private ErrorFrames() {}

    /**
     * An error answer: {@code type: response}, {@code class: string}, the code, the text as the body, and the request's
     * tracingId when there is one (null: none).
     */
    static ObjectNode error(ObjectMapper json, int code, String text, String tracingId) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "response");
        frame.put("class", "string");
        frame.put("code", code);
        frame.put("body", text);
        if (tracingId != null) {
            frame.put("tracingId", tracingId);
        }
        return frame;
    }

    /**
     * A refused attachment: with {@code errorsAsJson}, as Genesys's {@code GenerateUrlError} (code 200, the attachment
     * id and error code in the body, no tracingId); otherwise a text error frame.
     */
    static ObjectNode fileError(ObjectMapper json, boolean errorsAsJson, String attachmentId, int code, String text,
            String tracingId) {
        if (!errorsAsJson) {
            return error(json, code, text, tracingId);
        }
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "message");
        frame.put("class", "GenerateUrlError");
        frame.put("code", 200);
        frame.putObject("body").put("attachmentId", attachmentId).put("errorCode", code).put("errorMessage", text);
        return frame;
    }
}
