package io.deskbridge.benchmark;

import io.deskbridge.core.Configuration;
import io.deskbridge.webchat.WebChatApplication;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** {@link WebChatApplication} in this JVM, as {@code ./webchat.sh --genesys-simulator} runs it, on port 0. */
final class InProcessDeskbridge implements DeskbridgeUnderTest {
    private final WebChatApplication app;

    InProcessDeskbridge(Configuration configuration) {
        this.app = WebChatApplication.start(configuration);
    }

    @Override
    public URI chatSocket() {
        return URI.create("ws://127.0.0.1:" + app.server().port() + "/chat");
    }

    @Override
    public ProcessStats stats() {
        return ProcessStats.sample();
    }

    @Override
    public Optional<Duration> cpuTime() {
        return ProcessHandle.current().info().totalCpuDuration();
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public String where() {
        return "in the benchmark's JVM (threads and heap are the whole JVM's: simulator, clients and deskbridge)";
    }

    @Override
    public void close() {
        app.close();
    }
}
