/**
 * Vendor simulators the web chat can run in its own process for people trying a desk without the vendor
 * ({@code webchat.simulator=genesys}, or {@code --genesys-simulator} on the command line). The only web chat code
 * that knows a desk's classes; it is loaded only when a simulator is asked for.
 */
package io.deskbridge.webchat.simulator;
