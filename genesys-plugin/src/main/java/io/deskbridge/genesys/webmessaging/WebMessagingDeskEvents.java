package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import io.deskbridge.genesys.webmessaging.WebMessagingSession.Resumed;
import io.deskbridge.genesys.webmessaging.wire.Frame;
import java.time.Instant;
import java.util.Optional;

/**
 * How the parts of one web messaging chat (socket, sender, conversation, reconnects) reach the desk's state: each
 * part sees only the narrow interface it needs, and the desk keeps its state to itself. Every method runs on the
 * chat's lane.
 */
final class WebMessagingDeskEvents implements WebMessagingSocket.Events, WebMessagingSender.Gate, WebMessagingConversation.Effects,
        WebMessagingReconnects.Chat {
    private final WebMessagingServiceDesk desk;

    WebMessagingDeskEvents(WebMessagingServiceDesk desk) {
        this.desk = requireNonNull(desk, "desk is null");
    }

    @Override
    public void frame(Frame frame) {
        desk.frameArrived(frame);
    }

    @Override
    public void lost(String reason) {
        desk.onSocketLost(reason);
    }

    @Override
    public void expiresAt(Instant expiry) {
        desk.sessionExpiresAt(expiry);
    }

    @Override
    public void activity() {
        desk.sessionActivity();
    }

    @Override
    public boolean mayWrite() {
        return desk.mayWrite();
    }

    @Override
    public boolean running() {
        return desk.isRunning();
    }

    @Override
    public void ended(String reason) {
        desk.conversationEnded(reason);
    }

    @Override
    public void lastMessageChanged() {
        desk.persist();
    }

    @Override
    public void disconnected(String reason, Optional<Boolean> readOnly, boolean fromHistory) {
        desk.agentDisconnected(reason, readOnly, fromHistory);
    }

    @Override
    public boolean reconnecting() {
        return desk.isReconnecting();
    }

    @Override
    public void resumed(Resumed resumed) {
        desk.resumed(resumed);
    }
}
