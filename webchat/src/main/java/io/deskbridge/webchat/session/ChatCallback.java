package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.ChatStatus;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.webchat.protocol.ServerFrame;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one chat's desk callbacks into frames for the tabs of its {@link WebSession}, and into the bookkeeping of its
 * {@link SessionChat}. Callbacks come on the desk's threads: each hops onto the session's executor, and is dropped once
 * the chat is over or no longer the session's (a late report of an ended chat must not reach the next one).
 */
final class ChatCallback implements ServiceDeskCallback {
    /** Logs as the session: its lines keep the logger name operators configure and search for. */
    private static final Logger LOG = LoggerFactory.getLogger(WebSession.class);

    private final WebSession session;
    private final SessionChat owner;

    ChatCallback(WebSession session, SessionChat owner) {
        this.session = requireNonNull(session, "session is null");
        this.owner = requireNonNull(owner, "owner is null");
    }

    private void onSession(Runnable action) {
        session.serial().execute(() -> {
            if (session.isCurrent(owner) && !owner.isOver()) {
                action.run();
            }
        });
    }

    @Override
    public void updateAgentAvailability(AgentAvailability availability) {
        onSession(() -> {
            owner.availability(availability);
            session.broadcast(ServerFrame.availability(availability));
        });
    }

    @Override
    public void agentJoined(AgentProfile agent) {
        onSession(() -> {
            // A resumed desk may announce the agent already in the chat (guest chat does): not news for the page.
            if (owner.agentJoined(agent)) {
                LOG.info("session={} chat={} agent {} joined", session.sessionId(), owner.chatId(), agent.id());
                session.broadcast(ServerFrame.agentJoined(agent));
            }
        });
    }

    @Override
    public void beginTransferToAnotherAgent(Optional<AgentProfile> newAgent) {
        onSession(() -> {
            LOG.info("session={} chat={} transfer started", session.sessionId(), owner.chatId());
            owner.transferStarted(newAgent);
            session.broadcast(ServerFrame.transferStarted(newAgent));
        });
    }

    @Override
    public void agentLeftChat() {
        onSession(() -> {
            owner.agentLeft();
            session.broadcast(ServerFrame.agentLeft());
        });
    }

    @Override
    public void agentEndedChat() {
        Optional<ChatLeases> leases = session.context().store().leases();
        if (leases.isEmpty()) {
            onSession(this::endedByAgent);
            return;
        }
        // A vendor may close a process's connection when the chat opens in another process (for Genesys web
        // messaging, ConnectionClosedEvent), which the desk reports as the end. When another process took the
        // session over, that is a hand-over: holds() reports the session lost, and it moves away instead. The lease
        // is taken before the new owner reconnects, so the database already says so when the vendor's signal comes.
        session.context().workers().execute(() -> {
            boolean mine;
            try {
                mine = leases.get().holds(session.tokenHash());
            } catch (RuntimeException e) {
                mine = true; // cannot tell: the desk said the chat ended, and it is this process's
            }
            if (mine) {
                onSession(this::endedByAgent);
            }
        });
    }

    private void endedByAgent() {
        LOG.info("session={} chat={} ended by the agent", session.sessionId(), owner.chatId());
        session.broadcast(ServerFrame.agentEnded());
        session.finish(owner, "agent");
    }

    @Override
    public void agentTyping(boolean isTyping) {
        onSession(() -> {
            owner.agentTyping(isTyping);
            session.broadcast(ServerFrame.agentTyping(isTyping));
        });
    }

    @Override
    public void agentReadMessages() {
        onSession(() -> session.broadcast(ServerFrame.agentRead()));
    }

    @Override
    public void sendMessageToUser(AgentMessage message) {
        onSession(() -> {
            Transcript transcript = owner.transcript();
            if (transcript.containsDeskMessage(message.id())) {
                // A chat taken over from another process: its desk catches up from the state last saved, and the
                // transcript saved with it may already hold this message (the page has it).
                LOG.debug("session={} chat={} a message already in the transcript is not delivered again", session.sessionId(), owner.chatId());
                return;
            }
            owner.agentTyping(false);
            TranscriptEntry.From from = message.origin() == MessageOrigin.AGENT ? TranscriptEntry.From.AGENT
                    : message.origin() == MessageOrigin.BOT ? TranscriptEntry.From.BOT : TranscriptEntry.From.SYSTEM;
            Optional<String> agentName = owner.agentName(message.agentId());
            transcript.add(new TranscriptEntry(from, message.id(), message.text(), message.agentId(), agentName,
                    Optional.empty(), session.context().clock().instant()));
            session.broadcast(ServerFrame.agentMessage(message, agentName));
            session.save();
        });
    }

    @Override
    public void setErrorStatus(ErrorInfo error) {
        onSession(() -> {
            if (error instanceof ErrorInfo.Connecting connecting) {
                owner.connectingFailed();
                session.broadcast(ServerFrame.connectingError(Optional.of(connecting.messageToUser().orElse(WebSession.FAILED_TO_CONNECT))));
                ChatStatus status = owner.desk().status();
                if (status != ChatStatus.NEW && status != ChatStatus.STARTING) {
                    // Queued, then refused: the chat is over for the user; release the desk.
                    LOG.info("session={} chat={} could not be connected to an agent", session.sessionId(), owner.chatId());
                    session.finish(owner, "failed");
                    session.ignoreFailure(owner.desk().endChat(EndChatInfo.none()), "endChat");
                }
            } else if (error instanceof ErrorInfo.Disconnected disconnected) {
                owner.disconnected(disconnected.isDisconnected());
                session.broadcast(ServerFrame.disconnectedError(disconnected.isDisconnected()));
            } else if (error instanceof ErrorInfo.UserMessage failed) {
                owner.delivery(failed.messageId(), TranscriptEntry.Delivery.FAILED);
                session.broadcast(ServerFrame.userMessageError(failed.messageId(), failed.reason()));
            }
        });
    }

    @Override
    public void setFileUploadStatus(FileUploadStatus status) {
        onSession(() -> {
            if (!session.uploadStep().absorb(status)) {
                session.broadcast(ServerFrame.fileStatus(status.fileId(), status.errorMessage()));
            }
        });
    }

    @Override
    public void updateCapabilities(Set<Capability> capabilities) {
        // ChatSession keeps the desk's capabilities; the page learns them at its next welcome.
    }

    @Override
    public void updatePersistedState(PersistedState state) {
        onSession(session::save);
    }
}
