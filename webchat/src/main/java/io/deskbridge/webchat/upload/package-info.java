/**
 * Files a page sends to the agent: the upload tickets the chat socket hands out after the desk's rules accepted a
 * file, the HTTP bodies stored under them, and the files that messages then carry to the desk.
 */
package io.deskbridge.webchat.upload;
