package io.deskbridge.spi;

import static io.deskbridge.spi.Checks.requireNonBlank;
import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a new desk instance is given by its {@link ServiceDeskFactory}.
 *
 * @param chatId the application's id of the chat, for logs and for vendor fields that reference the session
 * @param callback where the desk reports the chat's events
 * @param persistedState the state of an earlier instance of this chat, present when the desk is created to
 *     {@link ServiceDesk#reconnect()}
 * @param metrics where the desk reports its vendor's requests, reconnects, catch-ups and rate-limit waits (what the
 *     framework measures itself, chats and messages, needs nothing from the desk)
 */
public record DeskContext(String chatId, ServiceDeskCallback callback, Optional<PersistedState> persistedState,
        DeskMetrics metrics) {
    public DeskContext {
        requireNonBlank(chatId, "chatId");
        requireNonNull(callback, "callback is null");
        requireNonNull(persistedState, "persistedState is null");
        requireNonNull(metrics, "metrics is null");
    }

    /** A context whose metrics go nowhere ({@link DeskMetrics#none()}). */
    public DeskContext(String chatId, ServiceDeskCallback callback, Optional<PersistedState> persistedState) {
        this(chatId, callback, persistedState, DeskMetrics.none());
    }

    public DeskContext(String chatId, ServiceDeskCallback callback) {
        this(chatId, callback, Optional.empty());
    }
}
