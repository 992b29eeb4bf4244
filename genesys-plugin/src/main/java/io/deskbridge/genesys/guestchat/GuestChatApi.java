package io.deskbridge.genesys.guestchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.genesys.guestchat.wire.CreateConversationRequest;
import io.deskbridge.genesys.guestchat.wire.CreateConversationResponse;
import io.deskbridge.genesys.guestchat.wire.CreateMessageRequest;
import io.deskbridge.genesys.guestchat.wire.MemberList;
import io.deskbridge.genesys.guestchat.wire.WebChatMember;
import io.deskbridge.genesys.guestchat.wire.WebChatMessage;
import io.deskbridge.genesys.guestchat.wire.MessageList;
import io.deskbridge.genesys.platform.GenesysRestClient;
import io.deskbridge.genesys.platform.GenesysRestClient.Call;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The guest chat REST API ({@code /api/v2/webchat/guest/conversations}): creating a conversation needs no
 * credentials; every later call carries the conversation's guest JWT as {@code Authorization: Bearer <jwt>}.
 * Thread-safe and shared by every chat.
 */
public final class GuestChatApi {
    /** The most messages Genesys returns per page of {@code GET …/messages}. */
    static final int MAX_RESULTS = 100;
    /** Pages of missed messages read at most when catching up (10,000 messages). */
    static final int MAX_CATCH_UP_PAGES = 100;

    private final GenesysRestClient rest;
    private final String base;
    private final Optional<String> origin;

    /**
     * @param origin the {@code Origin} header of every request ({@code genesys.origin}), as the browser of a page on
     *     the deployment's allowed domain would send it; none when empty
     */
    public GuestChatApi(GenesysRestClient rest, URI apiBaseUrl, Optional<String> origin) {
        this.rest = requireNonNull(rest, "rest is null");
        this.origin = requireNonNull(origin, "origin is null");
        String text = requireNonNull(apiBaseUrl, "apiBaseUrl is null").toString();
        this.base = (text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + "/api/v2/webchat/guest/conversations";
    }

    /** {@code POST /api/v2/webchat/guest/conversations}: not repeated after a possibly processed failure. */
    public CompletableFuture<CreateConversationResponse> createConversation(CreateConversationRequest request) {
        return send(Call.post("create a guest chat", URI.create(base), null, Optional.of(rest.write(request)), false),
                CreateConversationResponse.class);
    }

    /** {@code GET …/members/{memberId}}. */
    public CompletableFuture<WebChatMember> member(GuestSession session, String memberId) {
        return send(Call.get("read the chat member " + memberId,
                URI.create(conversation(session) + "/members/" + encode(memberId)), bearer(session)), WebChatMember.class);
    }

    /** {@code GET …/members}, every page. */
    public CompletableFuture<List<WebChatMember>> members(GuestSession session) {
        List<WebChatMember> all = new ArrayList<>();
        return membersPage(session, 1, all);
    }

    private CompletableFuture<List<WebChatMember>> membersPage(GuestSession session, int page, List<WebChatMember> all) {
        URI uri = URI.create(conversation(session) + "/members?pageSize=100&pageNumber=" + page + "&excludeDisconnectedMembers=false");
        return send(Call.get("list the chat members", uri, bearer(session)), MemberList.class).thenCompose(list -> {
            all.addAll(list.entities());
            int pages = list.pageCount().orElse(1);
            if (page < pages && page < 20 && !list.entities().isEmpty()) {
                return membersPage(session, page + 1, all);
            }
            return CompletableFuture.completedFuture(List.copyOf(all));
        });
    }

    /** {@code DELETE …/members/{guestMemberId}}: the guest leaves, which ends the chat. */
    public CompletableFuture<Void> leave(GuestSession session) {
        return sendDiscardingBody(Call.delete("end the chat",
                URI.create(conversation(session) + "/members/" + encode(session.memberId())), bearer(session)));
    }

    /** {@code POST …/members/{guestMemberId}/messages}: not repeated after a possibly processed failure. */
    public CompletableFuture<WebChatMessage> send(GuestSession session, CreateMessageRequest message) {
        return send(Call.post("send a chat message",
                URI.create(conversation(session) + "/members/" + encode(session.memberId()) + "/messages"), bearer(session),
                Optional.of(rest.write(message)), false), WebChatMessage.class);
    }

    /**
     * {@code POST …/members/{guestMemberId}/typing}: no body, but {@code Content-Type: application/json} as the guest
     * chat SDK sends on every request (a server may refuse a POST without one).
     */
    public CompletableFuture<Void> typing(GuestSession session) {
        return sendDiscardingBody(Call.post("send a typing indicator",
                URI.create(conversation(session) + "/members/" + encode(session.memberId()) + "/typing"), bearer(session),
                Optional.empty(), true).withHeader("Content-Type", "application/json"));
    }

    /**
     * {@code GET …/messages?after={id}&sortOrder=ascending&maxResults=100}, page after page: every message after
     * {@code afterId} (every message when empty), oldest first.
     */
    public CompletableFuture<List<WebChatMessage>> messagesAfter(GuestSession session, Optional<String> afterId) {
        return messagesPage(session, afterId, new ArrayList<>(), 0);
    }

    private CompletableFuture<List<WebChatMessage>> messagesPage(GuestSession session, Optional<String> afterId,
            List<WebChatMessage> all, int pagesRead) {
        String query = "?sortOrder=ascending&maxResults=" + MAX_RESULTS + afterId.map(id -> "&after=" + encode(id)).orElse("");
        return send(Call.get("read the missed chat messages", URI.create(conversation(session) + "/messages" + query),
                bearer(session)), MessageList.class).thenCompose(page -> {
                    all.addAll(page.entities());
                    if (page.entities().size() >= MAX_RESULTS && pagesRead + 1 < MAX_CATCH_UP_PAGES) {
                        String last = page.entities().get(page.entities().size() - 1).id();
                        return messagesPage(session, Optional.of(last), all, pagesRead + 1);
                    }
                    return CompletableFuture.completedFuture(List.copyOf(all));
                });
    }

    private <T> CompletableFuture<T> send(Call call, Class<T> type) {
        return rest.send(withOrigin(call), type);
    }

    private CompletableFuture<Void> sendDiscardingBody(Call call) {
        return rest.sendDiscardingBody(withOrigin(call));
    }

    private Call withOrigin(Call call) {
        return origin.map(value -> call.withHeader("Origin", value)).orElse(call);
    }

    private String conversation(GuestSession session) {
        return base + "/" + encode(session.conversationId());
    }

    private static String bearer(GuestSession session) {
        return "Bearer " + session.jwt();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
