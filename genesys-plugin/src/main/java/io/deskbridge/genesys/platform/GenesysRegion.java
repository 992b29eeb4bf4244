package io.deskbridge.genesys.platform;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Genesys Cloud region, named by its domain ({@code mypurecloud.ie}, {@code usw2.pure.cloud}), and the hosts
 * built from it: {@code https://api.{domain}} for the REST API, {@code https://login.{domain}} for OAuth and
 * {@code wss://webmessaging.{domain}/v1} for the web messaging socket.
 *
 * <p>{@link #parse(String)} also accepts a host or URL of the region ({@code https://api.mypurecloud.ie/}) and the
 * SDKs' region keys ({@code eu_west_1}).
 *
 * @param domain the region's domain, lower case, without scheme or {@code api.}/{@code login.} prefix
 */
public record GenesysRegion(String domain) {

    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");

    /** The SDKs' region keys and their domains. */
    private static final Map<String, String> REGION_KEYS = Map.ofEntries(
            Map.entry("us_east_1", "mypurecloud.com"),
            Map.entry("eu_west_1", "mypurecloud.ie"),
            Map.entry("ap_southeast_2", "mypurecloud.com.au"),
            Map.entry("ap_northeast_1", "mypurecloud.jp"),
            Map.entry("eu_central_1", "mypurecloud.de"),
            Map.entry("us_west_2", "usw2.pure.cloud"),
            Map.entry("ca_central_1", "cac1.pure.cloud"),
            Map.entry("ap_northeast_2", "apne2.pure.cloud"),
            Map.entry("eu_west_2", "euw2.pure.cloud"),
            Map.entry("ap_south_1", "aps1.pure.cloud"),
            Map.entry("us_east_2", "use2.us-gov-pure.cloud"),
            Map.entry("sa_east_1", "sae1.pure.cloud"),
            Map.entry("me_central_1", "mec1.pure.cloud"),
            Map.entry("ap_northeast_3", "apne3.pure.cloud"),
            Map.entry("eu_central_2", "euc2.pure.cloud"),
            Map.entry("mx_central_1", "mxc1.pure.cloud"),
            Map.entry("ap_southeast_1", "apse1.pure.cloud"),
            Map.entry("eusc_de_east_1", "edee1.eusc-pure.cloud"));

    public GenesysRegion {
        requireNonNull(domain, "domain is null");
        if (!DOMAIN.matcher(domain).matches()) {
            throw new IllegalArgumentException("'" + domain + "' is not a Genesys Cloud region domain such as mypurecloud.ie");
        }
    }

    /**
     * The region named by {@code environment}: a domain ({@code mypurecloud.ie}), a host or URL of it
     * ({@code api.mypurecloud.ie}, {@code https://login.mypurecloud.ie/}) or a region key ({@code eu_west_1}).
     *
     * @return empty if {@code environment} names no region
     */
    public static Optional<GenesysRegion> parse(String environment) {
        requireNonNull(environment, "environment is null");
        String value = environment.trim().toLowerCase(Locale.ROOT);
        String key = REGION_KEYS.get(value.replace('-', '_'));
        if (key != null) {
            return Optional.of(new GenesysRegion(key));
        }
        for (String scheme : new String[] {"https://", "http://", "wss://", "ws://"}) {
            if (value.startsWith(scheme)) {
                value = value.substring(scheme.length());
            }
        }
        int slash = value.indexOf('/');
        if (slash >= 0) {
            value = value.substring(0, slash);
        }
        for (String prefix : new String[] {"api.", "login.", "webmessaging.", "api-cdn."}) {
            if (value.startsWith(prefix)) {
                value = value.substring(prefix.length());
                break;
            }
        }
        return DOMAIN.matcher(value).matches() ? Optional.of(new GenesysRegion(value)) : Optional.empty();
    }

    /** {@code https://api.{domain}}: the REST API (guest chat, routing, analytics, signed data). */
    public URI apiBaseUrl() {
        return URI.create("https://api." + domain);
    }

    /** {@code https://login.{domain}}: the OAuth token endpoint's host. */
    public URI loginBaseUrl() {
        return URI.create("https://login." + domain);
    }

    /** {@code https://api-cdn.{domain}}: where Messenger deployments' public configuration ({@code config.json}) is served. */
    public URI deploymentConfigBaseUrl() {
        return URI.create("https://api-cdn." + domain);
    }

    /** {@code wss://webmessaging.{domain}/v1}: the web messaging guest socket. */
    public URI webMessagingUrl() {
        return URI.create("wss://webmessaging." + domain + "/v1");
    }
}
