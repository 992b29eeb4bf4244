/**
 * The guest chat API's payloads as Jackson records: the REST requests and answers under
 * {@code /api/v2/webchat/guest} and the event stream's frames. Reading is tolerant: unknown fields are ignored,
 * {@code version} may be a string or a number, the metadata's {@code CorrelationId} key is matched in any case, and
 * unknown roles, states and body types read as {@code UNKNOWN}.
 */
package io.deskbridge.genesys.guestchat.wire;
