package io.deskbridge.genesys.webmessaging.wire;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A message of a web messaging conversation, in either direction: text, structured content, events (typing,
 * presence) or a receipt. The same shape travels on the socket and in the history REST endpoint.
 *
 * @param id the server's id of the message (absent in what a guest sends)
 * @param type {@code Text}, {@code Structured}, {@code Event}, {@code Receipt}… as sent
 * @param direction {@code Inbound} or {@code Outbound} as sent
 * @param text the text
 * @param channel time, sender and custom attributes
 * @param content attachments, quick replies and other content
 * @param metadata free key/values ({@code customMessageId}, {@code readOnly}, {@code correlationId}…)
 * @param events the events of an {@code Event} message
 * @param originatingEntity {@code Human} or {@code Bot} as sent
 * @param status the status of a {@code Receipt} message ({@code Delivered}, {@code Read}…)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StructuredMessage(Optional<String> id, String type, Optional<String> direction, Optional<String> text,
        Optional<Channel> channel, List<Content> content, Map<String, String> metadata, List<Event> events,
        Optional<String> originatingEntity, Optional<String> status) {
    public StructuredMessage {
        id = id == null ? Optional.empty() : id;
        requireNonNull(type, "type is null");
        direction = direction == null ? Optional.empty() : direction;
        text = text == null ? Optional.empty() : text;
        channel = channel == null ? Optional.empty() : channel;
        content = content == null ? List.of() : List.copyOf(content);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        events = events == null ? List.of() : List.copyOf(events);
        originatingEntity = originatingEntity == null ? Optional.empty() : originatingEntity;
        status = status == null ? Optional.empty() : status;
    }

    /** A guest's text message, with custom attributes when there are any. */
    public static StructuredMessage guestText(String text, Map<String, String> metadata, Map<String, String> customAttributes,
            List<Content> content) {
        Optional<Channel> channel = customAttributes.isEmpty() ? Optional.empty()
                : Optional.of(new Channel(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.of(new ChannelMetadata(customAttributes))));
        return new StructuredMessage(Optional.empty(), MessageType.TEXT.wire(), Optional.empty(), Optional.of(text), channel,
                content, metadata, List.of(), Optional.empty(), Optional.empty());
    }

    /** A guest's event message (typing, presence). */
    public static StructuredMessage guestEvent(Event event) {
        return new StructuredMessage(Optional.empty(), MessageType.EVENT.wire(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), Map.of(), List.of(event), Optional.empty(), Optional.empty());
    }

    /** This message with {@code customAttributes} in {@code channel.metadata} (itself when there are none). */
    public StructuredMessage withCustomAttributes(Map<String, String> customAttributes) {
        if (customAttributes.isEmpty()) {
            return this;
        }
        Channel base = channel.orElse(new Channel(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty()));
        Channel with = new Channel(base.time(), base.messageId(), base.type(), base.from(), base.to(),
                Optional.of(new ChannelMetadata(customAttributes)));
        return new StructuredMessage(id, type, direction, text, Optional.of(with), content, metadata, events, originatingEntity, status);
    }

    @JsonIgnore
    public Optional<MessageType> messageType() {
        return MessageType.fromWire(type);
    }

    @JsonIgnore
    public Optional<Direction> messageDirection() {
        return direction.flatMap(Direction::fromWire);
    }

    @JsonIgnore
    public Optional<OriginatingEntity> origin() {
        return originatingEntity.flatMap(OriginatingEntity::fromWire);
    }

    @JsonIgnore
    public Optional<ReceiptStatus> receiptStatus() {
        return status.flatMap(ReceiptStatus::fromWire);
    }

    /** The sender as the deployment shows it ({@code channel.from}); empty when humanize is off. */
    @JsonIgnore
    public Optional<Participant> from() {
        return channel.flatMap(Channel::from).filter(Participant::isNamed);
    }

    /** Time, ids, sender, recipient and custom attributes of a message. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Channel(Optional<String> time, Optional<String> messageId, Optional<String> type, Optional<Participant> from,
            Optional<Participant> to, Optional<ChannelMetadata> metadata) {
        public Channel {
            time = time == null ? Optional.empty() : time;
            messageId = messageId == null ? Optional.empty() : messageId;
            type = type == null ? Optional.empty() : type;
            from = from == null ? Optional.empty() : from;
            to = to == null ? Optional.empty() : to;
            metadata = metadata == null ? Optional.empty() : metadata;
        }
    }

    /** {@code channel.metadata}: the custom attributes the deployment's flow reads. */
    public record ChannelMetadata(Map<String, String> customAttributes) {
        public ChannelMetadata {
            customAttributes = customAttributes == null ? Map.of() : Map.copyOf(customAttributes);
        }
    }

    /**
     * A sender or recipient ({@code from}, {@code to}); with humanize off, Genesys sends it empty. Genesys's recipient
     * has names and a picture only, no id: an agent is known by the name shown.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Participant(Optional<String> nickname, Optional<String> firstName,
            Optional<String> lastName, Optional<String> image) {
        public Participant {
            nickname = nickname == null ? Optional.empty() : nickname;
            firstName = firstName == null ? Optional.empty() : firstName;
            lastName = lastName == null ? Optional.empty() : lastName;
            image = image == null ? Optional.empty() : image;
        }

        /** Whether the participant carries a name to show. */
        @JsonIgnore
        public boolean isNamed() {
            return displayName().isPresent();
        }

        /** The nickname, else first and last name. */
        @JsonIgnore
        public Optional<String> displayName() {
            if (nickname.filter(n -> !n.isBlank()).isPresent()) {
                return nickname;
            }
            String full = (firstName.orElse("") + " " + lastName.orElse("")).trim();
            return full.isEmpty() ? Optional.empty() : Optional.of(full);
        }
    }

    /**
     * A content element: {@code {contentType: "Attachment", attachment: {...}}}, or structured content a bot sends
     * ({@code QuickReply}, {@code ButtonResponse}, {@code Card}, {@code Carousel}, {@code DatePicker}, each under the
     * field of its name, as Genesys's messenger SDK reads them). A content type this version does not know keeps only
     * its {@code contentType}.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Content(String contentType, Optional<Attachment> attachment, Optional<QuickReply> quickReply,
            Optional<ButtonResponse> buttonResponse, Optional<Card> card, Optional<Carousel> carousel, Optional<DatePicker> datePicker) {
        public Content {
            requireNonNull(contentType, "contentType is null");
            attachment = attachment == null ? Optional.empty() : attachment;
            quickReply = quickReply == null ? Optional.empty() : quickReply;
            buttonResponse = buttonResponse == null ? Optional.empty() : buttonResponse;
            card = card == null ? Optional.empty() : card;
            carousel = carousel == null ? Optional.empty() : carousel;
            datePicker = datePicker == null ? Optional.empty() : datePicker;
        }

        /** An attachment reference in a guest message: only its id. */
        public static Content attachmentReference(String attachmentId) {
            return new Content("Attachment", Optional.of(new Attachment(attachmentId, Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), OptionalLong.empty())), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
        }
    }

    /** {@code quickReply}: one choice a bot offers; {@code text} is shown, {@code payload} goes back when chosen. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record QuickReply(Optional<String> text, Optional<String> payload, Optional<String> action) {
        public QuickReply {
            text = text == null ? Optional.empty() : text;
            payload = payload == null ? Optional.empty() : payload;
            action = action == null ? Optional.empty() : action;
        }
    }

    /** {@code buttonResponse}: the button or quick reply a guest chose. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ButtonResponse(Optional<String> text, Optional<String> payload, Optional<String> type) {
        public ButtonResponse {
            text = text == null ? Optional.empty() : text;
            payload = payload == null ? Optional.empty() : payload;
            type = type == null ? Optional.empty() : type;
        }
    }

    /** {@code card}: a title, a description, an image and actions (links or postbacks). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Card(Optional<String> title, Optional<String> description, Optional<String> image, Optional<Action> defaultAction,
            List<Action> actions) {
        public Card {
            title = title == null ? Optional.empty() : title;
            description = description == null ? Optional.empty() : description;
            image = image == null ? Optional.empty() : image;
            defaultAction = defaultAction == null ? Optional.empty() : defaultAction;
            actions = actions == null ? List.of() : List.copyOf(actions);
        }
    }

    /** A card's action: {@code Link} (with {@code url}) or {@code Postback} (with {@code payload}). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Action(Optional<String> type, Optional<String> text, Optional<String> url, Optional<String> payload) {
        public Action {
            type = type == null ? Optional.empty() : type;
            text = text == null ? Optional.empty() : text;
            url = url == null ? Optional.empty() : url;
            payload = payload == null ? Optional.empty() : payload;
        }
    }

    /** {@code carousel}: cards side by side. */
    public record Carousel(List<Card> cards) {
        public Carousel {
            cards = cards == null ? List.of() : List.copyOf(cards);
        }
    }

    /** {@code datePicker}: appointment slots to choose from. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record DatePicker(Optional<String> title, Optional<String> subtitle, Optional<String> imageUrl, List<TimeSlot> availableTimes) {
        public DatePicker {
            title = title == null ? Optional.empty() : title;
            subtitle = subtitle == null ? Optional.empty() : subtitle;
            imageUrl = imageUrl == null ? Optional.empty() : imageUrl;
            availableTimes = availableTimes == null ? List.of() : List.copyOf(availableTimes);
        }
    }

    /** One slot of a date picker: its start ({@code dateTime}, ISO 8601) and {@code duration}. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record TimeSlot(Optional<String> dateTime, OptionalLong duration) {
        public TimeSlot {
            dateTime = dateTime == null ? Optional.empty() : dateTime;
            duration = duration == null ? OptionalLong.empty() : duration;
        }
    }

    /** A file in a message. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Attachment(String id, Optional<String> url, Optional<String> filename, Optional<String> mediaType,
            Optional<String> mime, OptionalLong fileSize) {
        public Attachment {
            requireNonNull(id, "id is null");
            url = url == null ? Optional.empty() : url;
            filename = filename == null ? Optional.empty() : filename;
            mediaType = mediaType == null ? Optional.empty() : mediaType;
            mime = mime == null ? Optional.empty() : mime;
            fileSize = fileSize == null ? OptionalLong.empty() : fileSize;
        }
    }

    /** One element of an {@code Event} message. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Event(String eventType, Optional<Typing> typing, Optional<Presence> presence) {
        public Event {
            requireNonNull(eventType, "eventType is null");
            typing = typing == null ? Optional.empty() : typing;
            presence = presence == null ? Optional.empty() : presence;
        }

        public static Event typingOn() {
            return new Event(EventType.TYPING.wire(), Optional.of(new Typing(TypingType.ON.wire(), OptionalLong.empty())), Optional.empty());
        }

        public static Event presence(PresenceType type) {
            return new Event(EventType.PRESENCE.wire(), Optional.empty(), Optional.of(new Presence(type.wire())));
        }

        @JsonIgnore
        public Optional<EventType> kind() {
            return EventType.fromWire(eventType);
        }
    }

    /** {@code typing: {type: On|Off, duration?}}, the duration in milliseconds. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Typing(String type, OptionalLong duration) {
        public Typing {
            requireNonNull(type, "type is null");
            duration = duration == null ? OptionalLong.empty() : duration;
        }

        @JsonIgnore
        public Optional<TypingType> typingType() {
            return TypingType.fromWire(type);
        }
    }

    /** {@code presence: {type}}. */
    public record Presence(String type) {
        public Presence {
            requireNonNull(type, "type is null");
        }

        @JsonIgnore
        public Optional<PresenceType> presenceType() {
            return PresenceType.fromWire(type);
        }
    }
}
