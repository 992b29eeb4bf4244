package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * A web chat deployment (the widget's "deployment key") and the settings the create-conversation call checks.
 *
 * @param id the deployment id, a UUID
 * @param authenticationRequired whether a create call must carry a {@code memberAuthToken} from {@code POST
 *     /api/v2/signeddata} ({@code chat.deployment.require.auth} without one, {@code chat.deployment.bad.auth} with
 *     a bad one)
 * @param disabled whether the deployment refuses every chat ({@code chat.deployment.disabled})
 * @param allowedOrigins the deployment's allowed domains as origins ({@code https://shop.example.com}); empty
 *     allows every caller. When not empty, a create call whose {@code Origin} header is missing or not listed gets
 *     {@code 403 origin.not.allowed} (simulator choice: Genesys does not document calls without an origin)
 */
public record GuestChatDeployment(
        String id, boolean authenticationRequired, boolean disabled, List<String> allowedOrigins) {

    public GuestChatDeployment {
        requireNonNull(id, "id is null");
        if (!Ids.isUuid(id)) {
            throw new IllegalArgumentException("deployment id must be a UUID: '" + id + "'");
        }
        allowedOrigins = List.copyOf(requireNonNull(allowedOrigins, "allowedOrigins is null"));
    }

    /** An enabled deployment without authentication or origin checks. */
    public static GuestChatDeployment open(String id) {
        return new GuestChatDeployment(id, false, false, List.of());
    }

    /** This deployment, requiring authenticated guests. */
    public GuestChatDeployment requiringAuthentication() {
        return new GuestChatDeployment(id, true, disabled, allowedOrigins);
    }

    /** This deployment, refusing every chat. */
    public GuestChatDeployment asDisabled() {
        return new GuestChatDeployment(id, authenticationRequired, true, allowedOrigins);
    }

    /** This deployment, accepting create calls only from these origins. */
    public GuestChatDeployment allowingOrigins(String... origins) {
        return new GuestChatDeployment(id, authenticationRequired, disabled, List.of(origins));
    }

    boolean allowsOrigin(String origin) {
        if (allowedOrigins.isEmpty()) {
            return true;
        }
        String wanted = origin.toLowerCase(Locale.ROOT);
        return allowedOrigins.stream().anyMatch(allowed -> allowed.toLowerCase(Locale.ROOT).equals(wanted));
    }
}
