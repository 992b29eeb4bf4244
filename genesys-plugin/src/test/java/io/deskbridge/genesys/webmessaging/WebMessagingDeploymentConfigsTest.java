package io.deskbridge.genesys.webmessaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.core.Configuration;
import io.deskbridge.genesys.GenesysSettings;
import io.deskbridge.genesys.platform.MutableClock;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How the deployment's configuration is read, kept and read again, whatever thread the HTTP client answers on. */
class WebMessagingDeploymentConfigsTest {
    private static final String CLEAR_ON = "{\"messenger\":{\"apps\":{\"conversations\":{\"conversationClear\":{\"enabled\":true}}}}}";
    private static final String CLEAR_OFF = "{\"messenger\":{\"apps\":{\"conversations\":{\"conversationClear\":{\"enabled\":false}}}}}";

    private final MutableClock clock = new MutableClock();
    private final SynchronousHttp http = new SynchronousHttp();
    private final WebMessagingDeploymentConfigs configs = new WebMessagingDeploymentConfigs(settings(), http, new ObjectMapper(), clock);

    private static WebMessagingSettings settings() {
        return GenesysSettings.read(Configuration.of(Map.of("genesys.environment", "mypurecloud.ie",
                "genesys.organizationId", "947659c0-d25d-4f72-b07f-bf5181952f5b",
                "genesys.deploymentId", "7539c714-2e65-402d-aff2-37f8362dd67e",
                "genesys.queueName", "Web Messaging Queue",
                "genesys.webMessagingConfigRefresh", "1m"))).webMessaging();
    }

    private static WebMessagingDeploymentConfig now(CompletableFuture<WebMessagingDeploymentConfig> config) throws Exception {
        return config.get(1, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("A client that answers in the calling thread: the configuration is still read again once the refresh interval passed, each time")
    void synchronousAnswersStillRefresh() throws Exception {
        http.answers.add(CLEAR_ON);
        assertThat(now(configs.current()).clearEnabled()).isTrue();
        assertThat(http.calls).hasValue(1);

        clock.advance(Duration.ofSeconds(30));
        assertThat(now(configs.current()).clearEnabled()).isTrue();
        assertThat(http.calls).as("no read before the refresh interval").hasValue(1);

        http.answers.add(CLEAR_OFF);
        clock.advance(Duration.ofSeconds(31));
        configs.current();
        assertThat(http.calls).as("the refresh after a minute").hasValue(2);
        assertThat(now(configs.current()).clearEnabled()).as("the refreshed configuration").isFalse();

        http.answers.add(CLEAR_ON);
        clock.advance(Duration.ofMinutes(1));
        configs.current();
        assertThat(http.calls).as("and the one after that").hasValue(3);
        assertThat(now(configs.current()).clearEnabled()).isTrue();
    }

    @Test
    @DisplayName("A first read that fails in the calling thread gives Genesys's defaults, and the next chat reads again")
    void synchronousFailureIsTriedAgain() throws Exception {
        http.failNext = true;
        assertThat(now(configs.current())).isEqualTo(WebMessagingDeploymentConfig.DEFAULTS);
        assertThat(http.calls).hasValue(1);

        http.answers.add(CLEAR_ON);
        assertThat(now(configs.current()).clearEnabled()).isTrue();
        assertThat(http.calls).hasValue(2);
    }

    @Test
    @DisplayName("A client that throws instead of answering: the failure is contained, and the next chat reads again")
    void throwingClientIsContained() throws Exception {
        http.throwNext = true;
        assertThat(now(configs.current())).isEqualTo(WebMessagingDeploymentConfig.DEFAULTS);

        http.answers.add(CLEAR_ON);
        assertThat(now(configs.current()).clearEnabled()).isTrue();
        assertThat(http.calls).hasValue(2);
    }

    /** An HTTP client whose {@code sendAsync} is already complete when it returns: the queued body, or a failure. */
    private static final class SynchronousHttp extends HttpClient {
        final Deque<String> answers = new ArrayDeque<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean failNext;
        volatile boolean throwNext;

        @Override
        @SuppressWarnings("unchecked")
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            calls.incrementAndGet();
            if (throwNext) {
                throwNext = false;
                throw new IllegalStateException("the client is closed");
            }
            if (failNext) {
                failNext = false;
                return CompletableFuture.failedFuture(new IOException("connection refused"));
            }
            String body = answers.poll();
            return CompletableFuture.completedFuture((HttpResponse<T>) new Response(request, body == null ? 404 : 200, body == null ? "" : body));
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                HttpResponse.PushPromiseHandler<T> push) {
            return sendAsync(request, handler);
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            throw new UnsupportedOperationException("the configuration is read asynchronously");
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return Optional.empty();
        }

        @Override
        public Redirect followRedirects() {
            return Redirect.NEVER;
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return Optional.empty();
        }

        @Override
        public SSLContext sslContext() {
            throw new UnsupportedOperationException();
        }

        @Override
        public SSLParameters sslParameters() {
            return new SSLParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return Optional.empty();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }

        @Override
        public Optional<Executor> executor() {
            return Optional.empty();
        }
    }

    private record Response(HttpRequest request, int statusCode, String body) implements HttpResponse<String> {
        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(Map.of(), (name, value) -> true);
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
