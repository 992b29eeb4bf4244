/**
 * The Web Messaging transport of the Genesys desk ({@code genesys.transport=web-messaging}, the default): one
 * {@code java.net.http} WebSocket per chat to {@code wss://webmessaging.{environment}/v1}, the guest session token
 * kept in the chat's persisted state so a new process resumes the same conversation, history catch-up over REST
 * after a dropped socket, Genesys's message order restored within a short window, an outbound queue within Genesys's
 * rate limit, file uploads, authenticated sessions, and the queue's agents and wait through the shared platform client.
 */
package io.deskbridge.genesys.webmessaging;
