/**
 * The benchmark of the design's non-functional targets: live threads as chats grow, chats per JVM, heap per idle chat,
 * and the latency the web chat and the Genesys desk add between a browser socket and the vendor socket, next to a raw
 * baseline of the same Genesys simulator driven without deskbridge. Run it with {@link io.deskbridge.benchmark.Benchmark}.
 */
package io.deskbridge.benchmark;
