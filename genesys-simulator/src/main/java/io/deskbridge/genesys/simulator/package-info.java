/**
 * A local Genesys Cloud on loopback that speaks both customer chat protocols for one organization: Web Messaging (the
 * guest socket, served by {@link io.deskbridge.genesys.simulator.webmessaging}, and its history endpoint) and Guest
 * Chat (the REST API with its JWT checks and error bodies, and the per-conversation event stream WebSocket), next to
 * OAuth client credentials, signed data, queue lookup, queue observations and estimated wait time. Tests script the
 * contact center through {@link io.deskbridge.genesys.simulator.GenesysSimulator}, {@link
 * io.deskbridge.genesys.simulator.SimulatedConversation} (guest chat) and {@link
 * io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession} (web messaging): agents join, type, send,
 * transfer, leave, end; faults. A person plays the agent of either transport in the browser console that {@link
 * io.deskbridge.genesys.simulator.GenesysSimulatorMain} starts.
 *
 * <p>The simulator follows the protocol reference where it is confirmed. Where Genesys never documented the
 * behaviour, the choice made is stated on the class or method that implements it, marked "(simulator choice)".
 */
package io.deskbridge.genesys.simulator;
