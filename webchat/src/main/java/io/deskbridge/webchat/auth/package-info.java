/**
 * User authentication for the web chat: who the user of a chat socket is, verified from a token the host site signs
 * ({@code webchat.auth=jwt}), so that the identity reaching the desk is one the site vouches for.
 */
package io.deskbridge.webchat.auth;
