package io.deskbridge.genesys.guestchat;

import io.deskbridge.genesys.GenesysSettings;
import io.deskbridge.genesys.guestchat.wire.CreateConversationRequest;
import io.deskbridge.genesys.guestchat.wire.GuestMemberInfo;
import io.deskbridge.genesys.guestchat.wire.RoutingTarget;
import io.deskbridge.genesys.platform.GenesysPlatformClient;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskException.Kind;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What a new guest chat sends Genesys: the conversation request, and the signed member data of an authenticated chat. */
final class GuestChatRequests {
    /** The guest's display name when neither the verified user nor the chat state has one. */
    static final String DEFAULT_DISPLAY_NAME = "Guest";

    private GuestChatRequests() {}

    /**
     * The signed-data JWT ({@code memberAuthToken}) that vouches for the verified user when
     * {@code genesys.authenticatedChat=true}; empty otherwise. Without a verified user an authenticated chat does not
     * start.
     */
    static CompletableFuture<Optional<String>> memberAuthToken(GenesysSettings settings, GenesysPlatformClient platform,
            StartChatOptions options) {
        if (!settings.authenticatedChat()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        if (options.verifiedUser().isEmpty()) {
            return CompletableFuture.failedFuture(new ServiceDeskException(Kind.VENDOR_REJECTED,
                    "genesys.authenticatedChat=true: a chat starts only for a verified user (StartChatOptions.verifiedUser)",
                    GuestChatErrors.USER_SIGN_IN, null));
        }
        UserIdentity user = options.verifiedUser().get();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("authorized", true);
        data.put("userId", user.id());
        user.name().ifPresent(name -> data.put("displayName", name));
        user.email().ifPresent(email -> data.put("email", email));
        return platform.signedData(data).thenApply(Optional::of);
    }

    /**
     * The conversation request: the queue as routing target, the guest's display name (the verified user's name, else
     * {@link ChatState#displayName()}, else {@link ChatState#userId()}, else "Guest") and custom fields carrying the
     * topic and session references.
     *
     * <p>The member's first and last name and phone number come from the routing attributes of the same names
     * ({@code firstName}, {@code lastName}, {@code phoneNumber}: the Genesys chat widget's field names), the email from
     * the verified user, else the {@code email} attribute. The custom fields also carry the email and the topic as
     * {@code email} and {@code subject}, where the widget puts them, unless the attributes set those keys.
     */
    static CreateConversationRequest create(GenesysSettings settings, String chatId, ChatState chatState, ConnectRequest request,
            StartChatOptions options, Optional<String> memberAuthToken) {
        Optional<UserIdentity> user = options.verifiedUser();
        String displayName = user.flatMap(UserIdentity::name)
                .or(chatState::displayName)
                .or(chatState::userId)
                .filter(name -> !name.isBlank())
                .orElse(DEFAULT_DISPLAY_NAME);
        Map<String, String> customFields = new LinkedHashMap<>(request.routingAttributes());
        request.topic().ifPresent(topic -> customFields.put("topic", topic));
        options.sessionHistoryKey().ifPresent(key -> customFields.put("sessionHistoryKey", key));
        chatState.sessionId().ifPresent(id -> customFields.put("sessionId", id));
        chatState.locale().ifPresent(locale -> customFields.put("locale", locale));
        customFields.put("deskbridgeChatId", chatId);
        RoutingTarget target = RoutingTarget.queue(settings.queueName(), settings.skills(), settings.language(),
                settings.priority().isPresent() ? Optional.of(settings.priority().getAsInt()) : Optional.empty());
        Map<String, String> attributes = request.routingAttributes();
        Optional<String> email = user.flatMap(UserIdentity::email).or(() -> attribute(attributes, "email"));
        email.ifPresent(address -> customFields.putIfAbsent("email", address));
        request.topic().ifPresent(topic -> customFields.putIfAbsent("subject", topic));
        GuestMemberInfo member = new GuestMemberInfo(displayName, attribute(attributes, "firstName"), attribute(attributes, "lastName"),
                email, attribute(attributes, "phoneNumber"), Optional.empty(), customFields);
        return new CreateConversationRequest(settings.organizationId(), settings.deploymentId(), target, member, memberAuthToken);
    }

    private static Optional<String> attribute(Map<String, String> attributes, String name) {
        return Optional.ofNullable(attributes.get(name)).map(String::trim).filter(value -> !value.isEmpty());
    }
}
