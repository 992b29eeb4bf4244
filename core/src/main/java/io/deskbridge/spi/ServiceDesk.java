package io.deskbridge.spi;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One chat at one vendor: what the application calls to hand a user to a human agent.
 *
 * <p><b>Lifecycle.</b> A {@link ServiceDeskFactory} creates one instance per chat, with the chat's
 * {@link ServiceDeskCallback}. The application calls {@link #startChat} once (or {@link #reconnect()} on a desk
 * created with persisted state), then {@link #sendMessageToAgent} and the other methods any number of times, then
 * {@link #endChat} unless the agent ended the chat first. A desk is not reused for a second chat.
 *
 * <p><b>Threads.</b> Methods may be called from any thread, but the application does not call one desk from two
 * threads at once. No method blocks on the network: each returns a stage that completes when the vendor answered.
 * A desk holds no thread of its own per chat; it shares the I/O and scheduler threads it was given.
 *
 * <p><b>Failures.</b> Stages complete exceptionally with {@link ServiceDeskException}; its
 * {@link ServiceDeskException#kind() kind} says whether to retry. An optional method whose {@link Capability} the
 * desk does not declare completes exceptionally with {@link UnsupportedCapabilityException} (the defaults here).
 *
 * <h2 id="rules">The contract, numbered</h2>
 * The conformance kit tests each rule by its number; {@code ChatSession} enforces them at run time.
 * <ol>
 *   <li>{@code startChat} may be called on a fresh desk only; a new chat gets a new desk instance.</li>
 *   <li>Before {@code agentJoined}, failures are reported as {@link ErrorInfo.Connecting} (and {@code startChat}
 *       fails if it has not completed yet).</li>
 *   <li>{@code agentJoined} is called once per agent; the first one ends the wait.</li>
 *   <li>{@code beginTransferToAnotherAgent} only after an agent joined; it is followed by {@code agentJoined}
 *       (the new agent) or {@code agentEndedChat}. {@code agentLeftChat} may come between them.</li>
 *   <li>{@code agentLeftChat} does not end the chat.</li>
 *   <li>{@code agentEndedChat} is called at most once, and nothing is called after it.</li>
 *   <li>After {@code endChat} completes, no callback is called for that chat.</li>
 *   <li>Every agent message reaches {@code sendMessageToUser} exactly once and in the vendor's order, also across
 *       reconnects (the desk de-duplicates by vendor message id).</li>
 *   <li>{@code agentTyping(true)} is followed by {@code agentTyping(false)} within the desk's typing timeout, or
 *       before the next agent message, transfer or end. The user's own typing never comes back as the agent's.</li>
 *   <li>A lost vendor connection during a chat gives {@code Disconnected(true)}, then {@code Disconnected(false)}
 *       when it is back, with nothing lost in between (rule 8).</li>
 *   <li>A failed {@code sendMessageToAgent} completes exceptionally and reports {@link ErrorInfo.UserMessage}.</li>
 *   <li>Callbacks for one chat are never called concurrently, and never from inside the application's call into
 *       the desk.</li>
 *   <li>A desk calls {@code updatePersistedState} whenever what it needs to {@code reconnect()} changes; that state
 *       is small, JSON-serialisable, and holds no secret that outlives the chat.</li>
 *   <li>What a desk declares in {@code capabilities()} works; what it does not declare fails with
 *       {@link UnsupportedCapabilityException} and a message naming the capability.</li>
 * </ol>
 */
public interface ServiceDesk {

    /** The desk's name for people, at most 40 characters (for example {@code "Genesys Cloud web messaging"}). */
    String name();

    /**
     * What this desk supports (rule 14). Constant for the life of the instance; a desk that learns more later
     * (for example the vendor's allowed file types) tells the application through
     * {@link ServiceDeskCallback#updateCapabilities(Set)}.
     */
    Set<Capability> capabilities();

    /**
     * Opens the chat at the vendor and queues it for an agent.
     *
     * <p>Called once, on a fresh desk (rule 1). The stage completes when the vendor accepted the chat, not when an
     * agent joined: the desk reports the wait through {@link ServiceDeskCallback#updateAgentAvailability} and the
     * join through {@link ServiceDeskCallback#agentJoined}. It completes exceptionally with
     * {@link ServiceDeskException} if the chat cannot start (vendor down, no agents, rejected authentication),
     * after reporting {@link ErrorInfo.Connecting} (rule 2). The request's
     * {@link ConnectRequest#connectSummary() summary} reaches the agent as the user's first message.
     *
     * @throws IllegalStateException (in the stage) if the desk already started or reconnected a chat
     */
    CompletionStage<Void> startChat(ConnectRequest request, StartChatOptions options);

    /**
     * The user ends the chat. Idempotent: ending a chat that the agent or the vendor already ended, or ending it
     * twice, completes normally. Once the stage completed, the desk calls no callback for this chat (rule 7) and
     * releases what it held (sockets, timers).
     */
    CompletionStage<Void> endChat(EndChatInfo info);

    /**
     * Sends a user message to the agent. The stage completes when the vendor accepted the message. Idempotent per
     * {@link UserMessage#id()}: a retry of an accepted message completes normally without posting it again. On
     * failure the stage completes exceptionally and the desk reports {@link ErrorInfo.UserMessage} with the
     * message id (rule 11). May be called while waiting for an agent, after an agent joined, during a transfer and
     * after an agent left; after the chat ended it fails with {@link ServiceDeskException.Kind#VENDOR_REJECTED}.
     */
    CompletionStage<Void> sendMessageToAgent(UserMessage message);

    /**
     * The application's knowledge of the user changed (name, ids, locale). May be called before {@code startChat}
     * and at any time after. Needs {@link Capability#UPDATE_STATE}.
     */
    default CompletionStage<Void> updateState(ChatState state) {
        return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.UPDATE_STATE));
    }

    /**
     * The user started or stopped typing. The application may call it often; the desk (or {@code ChatSession})
     * throttles what reaches the vendor. Needs {@link Capability#USER_TYPING}.
     */
    default CompletionStage<Void> userTyping(boolean isTyping) {
        return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.USER_TYPING));
    }

    /** The user has read every agent message so far. Needs {@link Capability#USER_READ_RECEIPTS}. */
    default CompletionStage<Void> userReadMessages() {
        return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.USER_READ_RECEIPTS));
    }

    /**
     * Whether agents are online to serve this request, asked before {@code startChat} (on a fresh desk) to decide
     * whether to offer a chat. Answers {@link AgentsOnline#UNKNOWN} rather than failing when the vendor is slow or
     * failing. Needs {@link Capability#AGENTS_ONLINE}.
     */
    default CompletionStage<AgentsOnline> areAnyAgentsOnline(ConnectRequest request) {
        return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.AGENTS_ONLINE));
    }

    /**
     * The user selected files but has not sent them. The desk checks them early (type, size) and reports each
     * refused one with {@link ServiceDeskCallback#setFileUploadStatus}; it does not upload yet (files travel with
     * {@link #sendMessageToAgent}). May be called several times. Needs {@link Capability#FILE_UPLOADS}.
     */
    default CompletionStage<Void> filesSelectedForUpload(List<FileUpload> uploads) {
        return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.FILE_UPLOADS));
    }

    /**
     * Resumes the chat recorded in the persisted state this desk was created with (see {@link DeskContext}),
     * instead of {@code startChat}. Completes with {@code true} when the same chat is resumed (callbacks continue,
     * agent messages missed in between are delivered once, rule 8), {@code false} when it is gone (ended, expired).
     * Needs {@link Capability#RECONNECT}.
     */
    default CompletionStage<Boolean> reconnect() {
        return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.RECONNECT));
    }

    /**
     * Lets go of the chat in this process without ending it at the vendor: the desk closes its vendor connections and
     * timers and calls no callback after the stage completes, while the conversation stays open for a desk in another
     * process to {@link #reconnect()} to from the last persisted state (a chat moving between web chat instances, or
     * an instance shutting down). Idempotent; after it, only {@code endChat} may be called, and does nothing more.
     * Needs {@link Capability#RECONNECT}: a desk that can resume a chat can also let it go.
     */
    default CompletionStage<Void> detach() {
        return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.RECONNECT));
    }
}
