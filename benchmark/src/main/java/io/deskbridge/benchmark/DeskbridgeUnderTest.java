package io.deskbridge.benchmark;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The web chat on the Genesys desk, pointed at the simulator: in this JVM or in a child process. */
interface DeskbridgeUnderTest extends AutoCloseable {
    /** The chat socket, {@code ws://127.0.0.1:PORT/chat}. */
    URI chatSocket();

    /** Threads and heap of the JVM the web chat runs in (this one, or the child). */
    ProcessStats stats();

    /**
     * The CPU time the operating system counted for the JVM the web chat runs in (user and system, every thread), if
     * the platform reports it.
     */
    Optional<Duration> cpuTime();

    /** The process id of the JVM the web chat runs in (for {@code jcmd}). */
    long pid();

    /** Where it runs, for the report. */
    String where();

    @Override
    void close();
}
