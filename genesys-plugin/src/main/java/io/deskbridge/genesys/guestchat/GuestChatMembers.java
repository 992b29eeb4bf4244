package io.deskbridge.genesys.guestchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.genesys.guestchat.wire.MemberRole;
import io.deskbridge.genesys.guestchat.wire.WebChatMember;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The conversation's members, read with the guest JWT and cached per member id. Thread-safe. */
final class GuestChatMembers implements GuestChatConversation.MemberDirectory {
    private final GuestChatApi api;
    private final Supplier<GuestSession> session;
    private final Map<String, CompletableFuture<WebChatMember>> memberCache = new ConcurrentHashMap<>();

    /** @param session the chat's guest session (its JWT reads the members), once it exists */
    GuestChatMembers(GuestChatApi api, Supplier<GuestSession> session) {
        this.api = requireNonNull(api, "api is null");
        this.session = requireNonNull(session, "session is null");
    }

    @Override
    public CompletableFuture<WebChatMember> member(String memberId) {
        CompletableFuture<WebChatMember> cached = memberCache.get(memberId);
        if (cached != null) {
            return cached;
        }
        CompletableFuture<WebChatMember> read = api.member(session.get(), memberId);
        memberCache.put(memberId, read);
        read.whenComplete((member, failure) -> {
            if (failure != null) {
                memberCache.remove(memberId, read);
            }
        });
        return read;
    }

    @Override
    public CompletableFuture<WebChatMember> refresh(String memberId) {
        return api.member(session.get(), memberId);
    }

    @Override
    public void remember(WebChatMember member) {
        if (member.role() != MemberRole.UNKNOWN) {
            memberCache.put(member.id(), CompletableFuture.completedFuture(member));
        }
    }
}
