package io.deskbridge.genesys.webmessaging;

import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.core.Configuration;
import io.deskbridge.genesys.GenesysServiceDeskProvider;
import io.deskbridge.genesys.GenesysSettings;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.testkit.CallbackMatchers;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Web messaging capabilities: one source, the typed settings")
class WebMessagingCapabilitiesTest {

    private record Case(String name, Supplier<WebMessagingHarness> harness, Set<Capability> expected) {}

    private static Set<Capability> with(Set<Capability> base, Capability... more) {
        EnumSet<Capability> all = EnumSet.copyOf(base);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    @DisplayName("Provider, settings, factory and desk declare the same set for each configuration; the chat narrows it per deployment")
    void providerFactoryAndDeskAgree() {
        Set<Capability> base = WebMessagingCapabilities.BASE;
        List<Case> cases = List.of(
                new Case("defaults", WebMessagingHarness::start, base),
                new Case("read receipts", () -> WebMessagingHarness.start(Map.of("genesys.webMessagingReadReceipts", "TRUE")),
                        with(base, Capability.AGENT_READ_RECEIPTS)),
                new Case("read receipts off", () -> WebMessagingHarness.start(Map.of("genesys.webMessagingReadReceipts", "false")), base),
                new Case("client credentials", () -> WebMessagingHarness.withPlatform(Map.of()),
                        with(base, Capability.AGENTS_ONLINE, Capability.QUEUE_STATUS)),
                new Case("client credentials and read receipts",
                        () -> WebMessagingHarness.withPlatform(Map.of("genesys.webMessagingReadReceipts", "true")),
                        with(base, Capability.AGENTS_ONLINE, Capability.QUEUE_STATUS, Capability.AGENT_READ_RECEIPTS)));
        GenesysServiceDeskProvider provider = new GenesysServiceDeskProvider();
        for (Case c : cases) {
            try (WebMessagingHarness h = c.harness().get()) {
                Configuration configuration = h.runtime.configuration();
                Set<Capability> declared = provider.capabilities(configuration);
                assertThat(declared).as(c.name() + ": the provider").isEqualTo(c.expected());
                assertThat(GenesysSettings.read(configuration).capabilities()).as(c.name() + ": the typed settings").isEqualTo(declared);
                assertThat(h.factory.capabilities()).as(c.name() + ": the factory").isEqualTo(declared);
                var chat = h.started(ConnectRequest.of("billing", "The user asks about an invoice"));
                assertThat(chat.desk().capabilities()).as(c.name() + ": the desk").isEqualTo(declared);
                // The default deployment hides the user's typing: the chat, and only the chat, reports less.
                var update = chat.callback().awaitEvent(CallbackMatchers.any(CallbackEvent.CapabilitiesUpdated.class), "updateCapabilities",
                        WAIT);
                EnumSet<Capability> narrowed = EnumSet.copyOf(declared);
                narrowed.remove(Capability.USER_TYPING);
                assertThat(((CallbackEvent.CapabilitiesUpdated) update).capabilities()).as(c.name() + ": the chat").isEqualTo(narrowed);
                assertThat(chat.desk().capabilities()).as(c.name() + ": the desk after the update").isEqualTo(declared);
            }
        }
    }

    @Test
    @DisplayName("Without a configuration the provider declares what the typed settings give a default web messaging desk")
    void providerDefault() {
        GenesysServiceDeskProvider provider = new GenesysServiceDeskProvider();
        assertThat(provider.capabilities()).isEqualTo(WebMessagingCapabilities.BASE)
                .isEqualTo(GenesysSettings.capabilities(Configuration.of(Map.of())));
        // A malformed value counts as its default, as the typed settings read it (and report it at start-up).
        assertThat(provider.capabilities(Configuration.of(Map.of("genesys.webMessagingReadReceipts", "yes"))))
                .isEqualTo(WebMessagingCapabilities.BASE);
    }

    @Test
    @DisplayName("A chat narrows the declared set where the deployment hides user typing or takes no files, never widens it")
    void perChatNarrowing() {
        Set<Capability> declared = WebMessagingCapabilities.of(true, false);
        WebMessagingDeploymentConfig typingShown = new WebMessagingDeploymentConfig(false, true, false, false, Optional.of(true),
                List.of(new WebMessagingDeploymentConfig.UploadMode(List.of("image/png"), java.util.OptionalLong.empty())), false, false);
        assertThat(WebMessagingCapabilities.forChat(declared, typingShown, true)).isEqualTo(declared);
        assertThat(WebMessagingCapabilities.forChat(declared, typingShown, false)).doesNotContain(Capability.FILE_UPLOADS)
                .contains(Capability.USER_TYPING);
        assertThat(WebMessagingCapabilities.forChat(declared, WebMessagingDeploymentConfig.DEFAULTS, true))
                .doesNotContain(Capability.USER_TYPING);
        assertThat(WebMessagingCapabilities.forChat(WebMessagingCapabilities.BASE, typingShown, true))
                .doesNotContain(Capability.AGENTS_ONLINE, Capability.QUEUE_STATUS, Capability.AGENT_READ_RECEIPTS);
    }
}
