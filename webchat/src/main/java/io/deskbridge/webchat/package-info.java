/**
 * The runnable web chat: a Jetty server with the browser chat page, {@code /health} and the chat WebSocket
 * ({@code /chat}), bridging each browser chat to the configured desk through {@link io.deskbridge.core.ChatSession}.
 * Start it with {@link io.deskbridge.webchat.Main}; configure it with the {@code webchat.*} keys
 * ({@link io.deskbridge.webchat.WebChatSettings}).
 */
package io.deskbridge.webchat;
