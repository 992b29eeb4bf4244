package io.deskbridge.desk.template;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Configuration;
import io.deskbridge.core.Secret;
import io.deskbridge.core.Settings;
import io.deskbridge.desk.support.FileRules;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The {@code template.*} settings, read and checked at start-up; every problem is reported at once, by key.
 *
 * @param baseUrl the vendor's API address ({@code template.baseUrl}, required)
 * @param apiKey the credential the server uses to call the vendor ({@code template.apiKey} or
 *     {@code TEMPLATE_API_KEY}, required); it never reaches the browser, a log or the persisted state
 * @param queue the queue new chats are routed to ({@code template.queue}, default {@code support})
 * @param typingTimeout how long an agent typing indication lasts without a new one ({@code template.typingTimeout},
 *     default 10s, at least 100ms); keep it below {@code deskbridge.agentTypingTimeout}
 * @param files the files the vendor accepts ({@code template.maxFileSize} in bytes, default 10 MiB;
 *     {@code template.allowedFileTypes}, comma-separated extensions, default {@code png,jpg,jpeg,gif,pdf,txt})
 */
public record TemplateSettings(URI baseUrl, Secret apiKey, String queue, Duration typingTimeout, FileRules files) {

    /** The key prefix of these settings, which is also the desk's name. */
    public static final String PREFIX = TemplateServiceDeskProvider.NAME;

    public TemplateSettings {
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(queue, "queue is null");
        requireNonNull(typingTimeout, "typingTimeout is null");
        requireNonNull(files, "files is null");
    }

    /**
     * Reads the settings under {@value #PREFIX}.
     *
     * @throws io.deskbridge.spi.ServiceDeskException of kind {@code CONFIGURATION} naming every missing, malformed
     *     or unknown {@code template.*} key
     */
    public static TemplateSettings from(Configuration configuration) {
        Settings settings = configuration.settings(PREFIX);
        // Step 2 (scaffold): add the vendor's settings here; secrets are read with settings.secret(..).
        URI baseUrl = settings.uri("baseUrl").orElse(null);
        if (baseUrl == null && settings.optionalString("baseUrl").isEmpty()) {
            settings.problem(settings.key("baseUrl") + " is required: the vendor's API address (or set "
                    + Configuration.environmentName(settings.key("baseUrl")) + ")");
        }
        Secret apiKey = settings.secret("apiKey").orElse(null);
        if (apiKey == null) {
            settings.problem(settings.key("apiKey") + " is required: the vendor's API key (or set "
                    + Configuration.environmentName(settings.key("apiKey")) + ")");
        }
        String queue = settings.string("queue", "support");
        Duration typingTimeout = settings.duration("typingTimeout", Duration.ofSeconds(10), Duration.ofMillis(100));
        FileRules files = FileRules.read(settings, 10 * 1024 * 1024, List.of("png", "jpg", "jpeg", "gif", "pdf", "txt"));
        settings.validate();
        return new TemplateSettings(baseUrl, apiKey, queue, typingTimeout, files);
    }
}
