/**
 * A local simulator of Genesys Cloud Web Messaging for tests and for trying the desk without a Genesys
 * organization: the guest WebSocket ({@code configureSession}, {@code onMessage}, {@code echo}, {@code getJwt},
 * {@code onAttachment}, {@code closeSession}) with its error codes and rate limit, the history endpoint with JWT, and
 * pre-signed uploads, all on loopback ephemeral ports. {@link io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession}
 * is the scripting API: agents and bots join, type, send, read and end; faults drop sockets, expire sessions, log
 * users out, deliver out of order and refuse messages. The REST port can forward the platform API (OAuth, queues,
 * estimated wait) to a {@code GenesysSimulator}, so that one {@code genesys.apiBaseUrl} serves both.
 */
package io.deskbridge.genesys.simulator.webmessaging;
