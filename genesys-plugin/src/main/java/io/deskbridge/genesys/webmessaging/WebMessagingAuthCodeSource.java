package io.deskbridge.genesys.webmessaging;

import com.google.inject.ImplementedBy;
import io.deskbridge.spi.UserIdentity;
import java.util.concurrent.CompletionStage;

/**
 * Where an authenticated web messaging chat gets the code that proves its user's identity to Genesys
 * ({@code configureAuthenticatedSession} {@code data.code}): an OAuth authorization code, or a JWT obtained from
 * the deployment's token exchange, issued for the user the application verified.
 *
 * <p>The application provides it when {@code genesys.authenticatedChat=true}, by binding its implementation in the
 * shared infrastructure: {@code Deskbridge.builder().overrideInfrastructure(b -> b.bind(WebMessagingAuthCodeSource.class).to(MyCodes.class))}.
 * Without one, the default refuses every authenticated chat with a message saying so. Called once per chat start and
 * per reconnect, from a shared thread; must not block (return a stage).
 */
@ImplementedBy(RefusingAuthCodeSource.class)
public interface WebMessagingAuthCodeSource {

    /**
     * A fresh code for {@code user}, for the chat {@code chatId}. Fails (in the stage) when the user cannot be
     * vouched for; the chat then does not start.
     */
    CompletionStage<String> codeFor(UserIdentity user, String chatId);
}
