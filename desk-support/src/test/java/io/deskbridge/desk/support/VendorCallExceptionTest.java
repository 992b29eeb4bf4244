package io.deskbridge.desk.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskException.Kind;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("VendorCallException")
class VendorCallExceptionTest {

    static ServiceDeskException mapped(int status) {
        return new VendorCallException("the acme vendor", status, "because").toServiceDeskException("send message m1", Optional.of("Not sent."));
    }

    @Test
    @DisplayName("a 4xx other than 408 and 429 is the vendor refusing: VENDOR_REJECTED, no retry suggested")
    void rejected() {
        for (int status : new int[] {400, 401, 404, 409, 410}) {
            ServiceDeskException e = mapped(status);
            assertThat(e.kind()).isEqualTo(Kind.VENDOR_REJECTED);
            assertThat(e).hasMessage("The acme vendor refused to send message m1 (HTTP " + status + "): because");
            assertThat(e.messageToUser()).contains("Not sent.");
            assertThat(e.getCause()).isInstanceOf(VendorCallException.class);
        }
    }

    @Test
    @DisplayName("the status mapping alone, for a vendor client with an exception of its own, is the same as the exception's")
    void kindOfStatus() {
        for (int status : new int[] {VendorCallException.NETWORK_FAILURE, 400, 401, 403, 404, 408, 409, 413, 429, 500, 502, 503}) {
            assertThat(VendorCallException.kindOf(status)).as("HTTP %d", status).isEqualTo(mapped(status).kind());
            assertThat(VendorCallException.isRejection(status)).as("HTTP %d", status).isEqualTo(mapped(status).kind() == Kind.VENDOR_REJECTED);
        }
        assertThat(VendorCallException.kindOf(408)).isEqualTo(Kind.VENDOR_UNAVAILABLE);
        assertThat(VendorCallException.kindOf(403)).isEqualTo(Kind.VENDOR_REJECTED);
    }

    @Test
    @DisplayName("unreachable, 408, 429 and 5xx are the vendor failing: VENDOR_UNAVAILABLE, worth a retry later")
    void unavailable() {
        for (int status : new int[] {VendorCallException.NETWORK_FAILURE, 408, 429, 500, 503}) {
            assertThat(mapped(status).kind()).isEqualTo(Kind.VENDOR_UNAVAILABLE);
        }
        assertThat(mapped(0)).hasMessage("The acme vendor failed to send message m1 (unreachable): because; try again later");
    }

    @Test
    @DisplayName("a status that is no HTTP status is refused")
    void badStatus() {
        assertThatThrownBy(() -> new VendorCallException("the acme vendor", 42, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
