package io.deskbridge.genesys.webmessaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.StartChatOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The custom attributes a chat's first message carries to the deployment's inbound message flow, which routes it:
 * web messaging has no client-side routing target, so the topic, skills, language and the application's routing
 * attributes travel here, within the session's {@code maxCustomDataBytes}.
 */
final class CustomAttributes {
    /** Genesys's documented default when the session does not say. */
    static final int DEFAULT_MAX_BYTES = 2048;

    private CustomAttributes() {}

    /** What was kept and what did not fit. */
    record Fitted(Map<String, String> attributes, List<String> dropped) {}

    /**
     * The attributes in priority order (topic, skills, language, session history key, the user's name and locale, then
     * the request's routing attributes by name), keeping each that still fits in {@code maxBytes} ({@link #size}).
     */
    static Fitted build(ObjectMapper json, ConnectRequest request, StartChatOptions options, ChatState state, List<String> skills,
            java.util.Optional<String> language, int maxBytes) {
        Map<String, String> wanted = new LinkedHashMap<>();
        request.topic().ifPresent(t -> wanted.put("topic", t));
        if (!skills.isEmpty()) {
            wanted.put("skills", String.join(",", skills));
        }
        language.ifPresent(l -> wanted.put("language", l));
        options.sessionHistoryKey().ifPresent(k -> wanted.put("sessionHistoryKey", k));
        state.displayName().ifPresent(n -> wanted.put("displayName", n));
        state.locale().ifPresent(l -> wanted.put("locale", l));
        new TreeMap<>(request.routingAttributes()).forEach(wanted::putIfAbsent);
        return fit(json, wanted, maxBytes);
    }

    /** Keeps the entries of {@code wanted}, in order, while their {@linkplain #size size} stays within {@code maxBytes}. */
    static Fitted fit(ObjectMapper json, Map<String, String> wanted, int maxBytes) {
        Map<String, String> kept = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        for (Map.Entry<String, String> entry : wanted.entrySet()) {
            kept.put(entry.getKey(), entry.getValue());
            if (size(json, kept) > maxBytes) {
                kept.remove(entry.getKey());
                dropped.add(entry.getKey());
            }
        }
        return new Fitted(Map.copyOf(kept), List.copyOf(dropped));
    }

    /**
     * The size of the attributes as Genesys's messenger SDK counts it against {@code maxCustomDataBytes}
     * ({@code CustomAttributesStoreImpl.isSizeExceeded}): the UTF-8 bytes of every key and value, without the JSON
     * around them.
     */
    static int size(ObjectMapper json, Map<String, String> attributes) {
        int total = 0;
        for (Map.Entry<String, String> entry : attributes.entrySet()) {
            total += entry.getKey().getBytes(StandardCharsets.UTF_8).length + entry.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return total;
    }
}
