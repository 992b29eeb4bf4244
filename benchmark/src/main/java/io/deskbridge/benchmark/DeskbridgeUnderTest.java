package io.deskbridge.benchmark;

import java.net.URI;

/** The web chat on the Genesys desk, pointed at the simulator: in this JVM or in a child process. */
interface DeskbridgeUnderTest extends AutoCloseable {
    /** The chat socket, {@code ws://127.0.0.1:PORT/chat}. */
    URI chatSocket();

    /** Threads and heap of the JVM the web chat runs in (this one, or the child). */
    ProcessStats stats();

    /** Where it runs, for the report. */
    String where();

    @Override
    void close();
}
