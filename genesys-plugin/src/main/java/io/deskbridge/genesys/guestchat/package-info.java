/**
 * The Genesys desk over the guest chat API (ACD web chat v2): REST calls with the guest JWT, the event stream over
 * the JDK WebSocket client, and the rules that turn its events into the contract's callbacks.
 */
package io.deskbridge.genesys.guestchat;
