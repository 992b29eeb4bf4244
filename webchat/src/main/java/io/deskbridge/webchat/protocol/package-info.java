/**
 * The chat socket protocol between the browser page and the web chat server: validated client frames, server
 * frames, and the codes of refused frames. Documented for page authors in {@code docs/protocol.md}.
 */
package io.deskbridge.webchat.protocol;
