/**
 * Browser sessions of the web chat: each holds the tabs that share a resume token and the chat they see, with a
 * bounded transcript for reloads; the registry finds sessions by token, expires idle ones, and records them in a
 * {@link io.deskbridge.webchat.session.SessionStore}.
 */
package io.deskbridge.webchat.session;
