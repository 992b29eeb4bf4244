/**
 * The Web Messaging transport of the Genesys desk ({@code genesys.transport=web-messaging}, the default): one
 * {@code java.net.http} WebSocket per chat to {@code wss://webmessaging.{environment}/v1}, the guest session token
 * kept in the chat's persisted state so a new process resumes the same conversation, history catch-up over REST
 * after a dropped socket, Genesys's message order restored within a short window, an outbound queue within Genesys's
 * rate limit, file uploads, authenticated sessions, and the queue's agents and wait through the shared platform client.
 *
 * <p><b>Parts.</b> The desk, {@link io.deskbridge.genesys.webmessaging.WebMessagingServiceDesk}, holds the chat's
 * state and the contract; the {@link WebMessagingSocket} connects, correlates answers and checks health, the {@link
 * WebMessagingSession} configures and resumes the session, the {@link WebMessagingConversation} turns frames into
 * callbacks ({@link WebMessagingAgents}: who the agent is), the {@link WebMessagingSender} queues and paces what the
 * user sends, {@link WebMessagingUploads} the files, {@link WebMessagingReconnects} the way back after a drop,
 * {@link WebMessagingEnding} the user's end and {@link WebMessagingShutdown} the teardown each way a chat ends.
 *
 * <p><b>Threads.</b> Everything runs on a per-chat {@link io.deskbridge.desk.support.ChatLane} over the shared workers; the socket is the
 * desk's socket clients' ({@link io.deskbridge.genesys.platform.GenesysSocketClients}: a few I/O threads for every chat), REST the shared
 * {@link java.net.http.HttpClient}'s, timers the shared scheduler's. No thread belongs to a chat.
 */
package io.deskbridge.genesys.webmessaging;
