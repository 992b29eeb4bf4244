/**
 * The Web Messaging transport of the Genesys desk ({@code genesys.transport=web-messaging}, the default): one
 * {@code java.net.http} WebSocket per chat to {@code wss://webmessaging.{environment}/v1}, the guest session token
 * kept in the chat's persisted state so a new process resumes the same conversation, history catch-up over REST
 * after a dropped socket, an outbound queue within Genesys's rate limit, file uploads and authenticated sessions.
 */
package io.deskbridge.genesys.webmessaging;
