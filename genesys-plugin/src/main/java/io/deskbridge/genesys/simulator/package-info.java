/**
 * A local Genesys Cloud that speaks the Guest Chat protocol on loopback: the guest chat REST API with its JWT checks
 * and error bodies, the per-conversation event stream WebSocket, OAuth client credentials, signed data, queue lookup,
 * queue observations and estimated wait time. Tests script the contact center through {@link
 * io.deskbridge.genesys.simulator.GenesysSimulator} and {@link io.deskbridge.genesys.simulator.SimulatedConversation}
 * (agents join, type, send, transfer, leave, end; faults); a person plays the agent in the browser console that
 * {@link io.deskbridge.genesys.simulator.GenesysSimulatorMain} starts.
 *
 * <p>The simulator follows the protocol reference where it is confirmed. Where Genesys never documented the
 * behaviour, the choice made is stated on the class or method that implements it, marked "(simulator choice)".
 */
package io.deskbridge.genesys.simulator;
