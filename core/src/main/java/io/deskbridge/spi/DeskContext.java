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
 */
public record DeskContext(String chatId, ServiceDeskCallback callback, Optional<PersistedState> persistedState) {
    public DeskContext {
        requireNonBlank(chatId, "chatId");
        requireNonNull(callback, "callback is null");
        requireNonNull(persistedState, "persistedState is null");
    }

    public DeskContext(String chatId, ServiceDeskCallback callback) {
        this(chatId, callback, Optional.empty());
    }
}
