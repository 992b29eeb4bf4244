package io.deskbridge.genesys.webmessaging;

import com.google.inject.ImplementedBy;
import io.deskbridge.spi.UserIdentity;
import java.util.concurrent.CompletionStage;

/**
 * Where an authenticated web messaging chat gets the token that proves its user's identity to Genesys
 * ({@code configureAuthenticatedSession} {@code data.code}): the JWT Genesys returns from
 * {@code POST https://api.{environment}/api/v2/webdeployments/token/oauthcodegrantjwtexchange} (body
 * {@code {deploymentId, oauth: {code, redirectUri, codeVerifier}}} or {@code {deploymentId, oauth: {idToken, nonce}}}),
 * for the user the application verified. Never the raw OAuth authorization code: Genesys refuses it, and the desk
 * fails the start with a message that says so when the answer is not a JWT.
 *
 * <p>The application provides it when {@code genesys.authenticatedChat=true}, by binding its implementation in the
 * shared infrastructure: {@code Deskbridge.builder().overrideInfrastructure(b -> b.bind(WebMessagingAuthCodeSource.class).to(MyCodes.class))}.
 * Without one, the default refuses every authenticated chat with a message saying so. Called once per chat start and
 * per reconnect, from a shared thread; must not block (return a stage).
 */
@ImplementedBy(RefusingAuthCodeSource.class)
public interface WebMessagingAuthCodeSource {

    /**
     * A fresh Genesys JWT for {@code user}, for the chat {@code chatId} (exchanged or refreshed with Genesys's
     * {@code webdeployments/token} endpoints). Fails (in the stage) when the user cannot be
     * vouched for; the chat then does not start.
     */
    CompletionStage<String> codeFor(UserIdentity user, String chatId);
}
