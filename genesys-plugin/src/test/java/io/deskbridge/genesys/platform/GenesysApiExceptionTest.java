package io.deskbridge.genesys.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.desk.support.VendorCallException;
import io.deskbridge.spi.ServiceDeskException.Kind;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A failed Genesys request is worth a retry exactly when any desk's vendor failure with that status would be. */
class GenesysApiExceptionTest {

    private static Kind kind(int status) {
        return new GenesysApiException("read the queue", status, null, null, null, Duration.ZERO, null).kind();
    }

    @Test
    @DisplayName("408, 429, 5xx and no response are VENDOR_UNAVAILABLE; another 4xx is VENDOR_REJECTED, as VendorCallException maps them")
    void kinds() {
        assertThat(kind(408)).isEqualTo(Kind.VENDOR_UNAVAILABLE);
        assertThat(kind(429)).isEqualTo(Kind.VENDOR_UNAVAILABLE);
        assertThat(kind(503)).isEqualTo(Kind.VENDOR_UNAVAILABLE);
        assertThat(kind(GenesysApiException.NETWORK_FAILURE)).isEqualTo(Kind.VENDOR_UNAVAILABLE);
        assertThat(kind(400)).isEqualTo(Kind.VENDOR_REJECTED);
        assertThat(kind(403)).isEqualTo(Kind.VENDOR_REJECTED);
        for (int status : new int[] {0, 400, 401, 403, 404, 408, 409, 413, 429, 500, 502, 503, 504}) {
            assertThat(kind(status)).as("HTTP %d", status).isEqualTo(VendorCallException.kindOf(status));
        }
    }
}
