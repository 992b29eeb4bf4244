/**
 * The template vendor's client API as the desk sees it: what a vendor SDK, or a REST client plus an event socket,
 * offers (open a conversation, send, type, read, end, fetch history, listen to events). The desk speaks only
 * this interface; the tests' fake vendor implements it in memory. Replace it with
 * the vendor's real client, and put the vendor's JSON types in a {@code wire} package next to that client.
 */
package io.deskbridge.desk.template.vendor;
