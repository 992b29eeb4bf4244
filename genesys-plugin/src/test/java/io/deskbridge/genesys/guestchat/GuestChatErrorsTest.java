package io.deskbridge.genesys.guestchat;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.genesys.platform.GenesysApiException;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskException.Kind;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("GuestChatErrors")
class GuestChatErrorsTest {

    static GenesysApiException api(int status, String code) {
        return new GenesysApiException("create a guest chat", status, code, "detail", "ctx-1", null, null);
    }

    @Test
    @DisplayName("a failure without a code guest chat knows takes its kind from the status as every desk does: 408 and 429 are worth a retry")
    void statusOnly() {
        ServiceDeskException timeout = GuestChatErrors.startFailure(new CompletionException(api(408, null)), "Support");
        assertThat(timeout.kind()).isEqualTo(Kind.VENDOR_UNAVAILABLE);
        assertThat(timeout.messageToUser()).contains(GuestChatErrors.USER_UNAVAILABLE);
        assertThat(timeout.getCause()).isInstanceOf(GenesysApiException.class);

        ServiceDeskException busy = GuestChatErrors.startFailure(api(429, "too.many.requests"), "Support");
        assertThat(busy.kind()).isEqualTo(Kind.VENDOR_UNAVAILABLE);
        assertThat(busy.messageToUser()).contains(GuestChatErrors.USER_BUSY);
        assertThat(busy).hasMessageContaining("limiting the rate");

        ServiceDeskException refused = GuestChatErrors.startFailure(api(409, null), "Support");
        assertThat(refused.kind()).isEqualTo(Kind.VENDOR_REJECTED);
        assertThat(refused.messageToUser()).contains(GuestChatErrors.USER_CANNOT_START);

        assertThat(GuestChatErrors.sendFailure(api(408, null)).kind()).isEqualTo(Kind.VENDOR_UNAVAILABLE);
        assertThat(GuestChatErrors.sendFailure(api(GenesysApiException.NETWORK_FAILURE, null)).kind()).isEqualTo(Kind.VENDOR_UNAVAILABLE);
        assertThat(GuestChatErrors.sendFailure(api(422, null)).kind()).isEqualTo(Kind.VENDOR_REJECTED);
        assertThat(GuestChatErrors.sendFailure(api(422, null)).messageToUser()).contains(GuestChatErrors.USER_NOT_SENT);
    }

    @Test
    @DisplayName("Genesys's own codes keep their meaning: a disabled deployment is configuration, a conversation over is the end")
    void genesysCodes() {
        assertThat(GuestChatErrors.startFailure(api(400, "chat.deployment.disabled"), "Support").kind()).isEqualTo(Kind.CONFIGURATION);
        assertThat(GuestChatErrors.startFailure(api(403, "missing.permissions"), "Support").kind()).isEqualTo(Kind.CONFIGURATION);
        ServiceDeskException over = GuestChatErrors.sendFailure(api(400, "chat.error.conversation.state"));
        assertThat(over.kind()).isEqualTo(Kind.VENDOR_REJECTED);
        assertThat(over.messageToUser()).contains(GuestChatErrors.USER_ENDED);
    }
}
