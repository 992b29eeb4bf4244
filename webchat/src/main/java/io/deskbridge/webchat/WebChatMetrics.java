package io.deskbridge.webchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Deskbridge;
import io.deskbridge.webchat.session.JdbcSessionStore;
import io.deskbridge.webchat.session.SessionRegistry;
import io.deskbridge.webchat.session.SessionStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;

/**
 * The web chat's metrics, served by {@code /metrics} in the Prometheus text format: everything the deskbridge runtime
 * measures (chats, messages, the desk's vendor requests: its registry is published here), the web chat's own
 * (browser sessions, sockets open, the session store's write-behind queue and failures) and the JVM's (memory, GC,
 * threads, class loading, processor, open files, uptime). See {@code docs/operations.md} for every metric.
 *
 * <ul>
 *   <li>{@value #SESSIONS} (gauge): browser sessions held</li>
 *   <li>{@value #SOCKETS} (gauge): browser chat sockets open</li>
 *   <li>{@value #STORE_PENDING} (gauge): sessions whose changes wait to be written (a database store)</li>
 *   <li>{@value #STORE_FAILURES} (counter): writes of the session store that failed and are retried</li>
 *   <li>{@value #STORE_DROPPED} (counter): session changes the database refused for their data, dropped</li>
 * </ul>
 */
final class WebChatMetrics implements AutoCloseable {
    static final String SESSIONS = "deskbridge.webchat.sessions";
    static final String SOCKETS = "deskbridge.webchat.sockets";
    static final String STORE_PENDING = "deskbridge.webchat.store.pending";
    static final String STORE_FAILURES = "deskbridge.webchat.store.failures";
    static final String STORE_DROPPED = "deskbridge.webchat.store.dropped";

    /** The Prometheus text exposition format, version 0.0.4, which every Prometheus server reads. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Deskbridge deskbridge;
    private final PrometheusMeterRegistry prometheus;
    private final JvmGcMetrics gc;

    /**
     * @param prometheus the registry to serve, when the application gave the runtime one at build time (see
     *     {@link #newRegistry()}); otherwise one is created and added to the runtime's composite now, which hands it
     *     the meters registered already (without what they counted so far)
     */
    WebChatMetrics(Deskbridge deskbridge, SessionRegistry sessions, SessionStore store, Optional<PrometheusMeterRegistry> prometheus) {
        this.deskbridge = requireNonNull(deskbridge, "deskbridge is null");
        requireNonNull(sessions, "sessions is null");
        requireNonNull(store, "store is null");
        this.prometheus = prometheus.orElseGet(WebChatMetrics::newRegistry);
        if (!deskbridge.meterRegistry().getRegistries().contains(this.prometheus)) {
            deskbridge.meterRegistry().add(this.prometheus);
        }
        new JvmMemoryMetrics().bindTo(this.prometheus);
        new JvmThreadMetrics().bindTo(this.prometheus);
        new ClassLoaderMetrics().bindTo(this.prometheus);
        new ProcessorMetrics().bindTo(this.prometheus);
        new UptimeMetrics().bindTo(this.prometheus);
        new FileDescriptorMetrics().bindTo(this.prometheus);
        this.gc = new JvmGcMetrics();
        gc.bindTo(this.prometheus);

        MeterRegistry meters = this.prometheus;
        Gauge.builder(SESSIONS, sessions, SessionRegistry::size).description("Browser sessions held").register(meters);
        Gauge.builder(SOCKETS, sessions, SessionRegistry::connectionCount).description("Browser chat sockets open").register(meters);
        if (store instanceof JdbcSessionStore jdbc) {
            Gauge.builder(STORE_PENDING, jdbc, JdbcSessionStore::pendingWrites)
                    .description("Sessions whose changes wait to be written to the session database").register(meters);
            FunctionCounter.builder(STORE_FAILURES, jdbc, JdbcSessionStore::failedWrites)
                    .description("Writes to the session database that failed and are retried").register(meters);
            FunctionCounter.builder(STORE_DROPPED, jdbc, JdbcSessionStore::droppedWrites)
                    .description("Session changes the database refused for their data, dropped").register(meters);
        }
    }

    /** A registry for {@code /metrics}, to give the runtime when it is built ({@code Deskbridge.Builder#meterRegistry}). */
    static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** Every meter, in the Prometheus text format. */
    String scrape() {
        return prometheus.scrape();
    }

    @Override
    public void close() {
        deskbridge.meterRegistry().remove(prometheus);
        gc.close();
        prometheus.close();
    }
}
