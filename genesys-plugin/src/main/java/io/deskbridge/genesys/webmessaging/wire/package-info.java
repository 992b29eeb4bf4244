/**
 * The frames of Genesys Cloud's Web Messaging guest API, as Jackson records: the requests a guest sends
 * ({@code configureSession}, {@code onMessage}, {@code echo}, {@code getJwt}, {@code onAttachment},
 * {@code closeSession}) and the envelopes and bodies the server answers with. Vendor enum values are kept as the
 * text Genesys sent and read through {@code Optional}-returning accessors, so a value this version does not know is
 * seen as unknown and never mistaken for a known one.
 */
package io.deskbridge.genesys.webmessaging.wire;
