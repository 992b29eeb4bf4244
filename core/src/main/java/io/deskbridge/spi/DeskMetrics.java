package io.deskbridge.spi;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a desk tells operators about its vendor, beyond what the framework already measures for every desk (chats by
 * state, chats started and ended, messages each way, failed messages: those come from the contract's calls and
 * callbacks, with no code in the desk). The application decides where the numbers go (the web chat serves them as
 * Prometheus metrics); every number is tagged with the desk and its transport, never with a chat or a user, so a
 * desk must not pass chat ids, user data or free text in {@code endpoint}.
 *
 * <p>A desk finds the instance in its {@link DeskContext#metrics()}; shared vendor clients (one per desk, not per chat)
 * may receive the same instance from the desk's wiring. Thread-safe, cheap, never throws and never blocks: call it
 * from any thread, I/O threads included.
 */
public interface DeskMetrics {

    /** The {@code status} of a request that got no answer (a network failure, a timeout). */
    int NO_RESPONSE = 0;

    /**
     * One request to the vendor's API finished: an HTTP request, or a request over the vendor's socket that waits for
     * an answer.
     *
     * @param endpoint which request, bounded and free of ids: a method and path template such as
     *     {@code POST /api/v2/conversations/{id}/messages} (see {@link #endpoint(String, URI)}), or for a socket
     *     request {@code WS} and its action, such as {@code WS configureSession}
     * @param status the HTTP status of the answer; for a socket request the code the vendor answered (an HTTP-like
     *     status, or a four-digit code: 4000 to 4999 count as the request's fault, 5000 and up as the vendor's; a
     *     rate-limit answer is reported as 429); or {@link #NO_RESPONSE}
     * @param latency from sending the request to its answer or failure; a retried request reports each attempt
     */
    void vendorRequest(String endpoint, int status, Duration latency);

    /**
     * The desk tried to get a lost vendor connection back (rule 10).
     *
     * @param succeeded whether this attempt restored it
     */
    void vendorReconnect(boolean succeeded);

    /**
     * The desk read what the chat missed while its connection was down (history, missed events) and merged it.
     *
     * @param messages how many messages the chat had not seen
     */
    void vendorCatchUp(int messages);

    /** The desk held a request back for {@code waited} to stay under the vendor's rate limit. */
    void rateLimitWait(Duration waited);

    /** Metrics that go nowhere: for desks built without an application (tests, tools). */
    static DeskMetrics none() {
        return NoDeskMetrics.INSTANCE;
    }

    /**
     * A bounded endpoint name for {@link #vendorRequest}: the method and the URI's path, with every segment that looks
     * like an id (all digits; two digits or more, as in a UUID; or a token of 24 characters or more that is not a plain
     * word) replaced by {@code {id}}, and no query; {@code v2} and {@code estimatedwaittime} stay.
     * {@code endpoint("GET", /api/v2/webchat/guest/conversations/3f9c.../members/8a1b...)} is
     * {@code GET /api/v2/webchat/guest/conversations/{id}/members/{id}}.
     */
    static String endpoint(String method, URI uri) {
        requireNonNull(method, "method is null");
        requireNonNull(uri, "uri is null");
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder template = new StringBuilder(method.toUpperCase(Locale.ROOT)).append(' ');
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                template.append('/');
            }
            String segment = segments[i];
            template.append(NoDeskMetrics.looksLikeId(segment) ? "{id}" : segment);
        }
        return template.toString();
    }
}

/** {@link DeskMetrics#none()}, and the id test of {@link DeskMetrics#endpoint}. */
final class NoDeskMetrics implements DeskMetrics {
    static final NoDeskMetrics INSTANCE = new NoDeskMetrics();
    // API versions (v2) and words stay; a number, anything with two digits (UUIDs) or a long opaque token is an id.
    private static final Pattern VERSION = Pattern.compile("v\\d{1,2}");
    private static final Pattern TWO_DIGITS = Pattern.compile(".*\\d.*\\d.*");
    private static final Pattern WORD = Pattern.compile("[A-Za-z_-]+");

    private NoDeskMetrics() {}

    static boolean looksLikeId(String segment) {
        if (segment.isEmpty() || VERSION.matcher(segment).matches()) {
            return false;
        }
        return TWO_DIGITS.matcher(segment).matches() || segment.chars().allMatch(Character::isDigit)
                || segment.length() >= 24 && !WORD.matcher(segment).matches();
    }

    @Override
    public void vendorRequest(String endpoint, int status, Duration latency) {}

    @Override
    public void vendorReconnect(boolean succeeded) {}

    @Override
    public void vendorCatchUp(int messages) {}

    @Override
    public void rateLimitWait(Duration waited) {}
}
