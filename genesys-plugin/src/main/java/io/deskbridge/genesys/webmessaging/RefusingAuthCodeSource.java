package io.deskbridge.genesys.webmessaging;

import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.UserIdentity;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The default {@link WebMessagingAuthCodeSource}: it has no way to vouch for anyone, so it refuses clearly. */
final class RefusingAuthCodeSource implements WebMessagingAuthCodeSource {

    @Override
    public CompletionStage<String> codeFor(UserIdentity user, String chatId) {
        return CompletableFuture.failedFuture(new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION,
                "genesys.authenticatedChat is true but the application bound no WebMessagingAuthCodeSource: bind one that "
                        + "issues a Genesys authentication code for the verified user (see the web messaging documentation)",
                "This chat needs you to be signed in, and sign-in is not set up. Please try again later.", null));
    }
}
