package io.deskbridge.genesys.webmessaging;

import io.deskbridge.genesys.webmessaging.wire.StructuredMessage;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An outbound message as the text the user reads. The contract carries text only, so what Genesys sends as structured
 * content (the content types Genesys's messenger SDK reads: {@code Attachment}, {@code QuickReply},
 * {@code ButtonResponse}, {@code Card}, {@code Carousel}, {@code DatePicker}) is written out in words after the
 * message's text: a file as its name and link, quick replies as "Options: a / b", a card as its title, description
 * and links, a date picker as its title and the offered times (ISO 8601, UTC). A message whose only content is
 * structured is shown all the same; nothing with something to show is dropped.
 */
final class StructuredContent {
    private StructuredContent() {}

    /** The text of {@code message}, with its content written out; blank only when there is nothing to show. */
    static String text(StructuredMessage message) {
        List<String> parts = new ArrayList<>();
        message.text().filter(t -> !t.isBlank()).ifPresent(parts::add);
        List<String> options = new ArrayList<>();
        for (StructuredMessage.Content content : message.content()) {
            content.attachment().ifPresent(a -> parts.add(a.filename().orElse("attachment") + a.url().map(u -> ": " + u).orElse("")));
            content.quickReply().flatMap(StructuredContent::label).ifPresent(options::add);
            content.buttonResponse().flatMap(b -> b.text().or(b::payload)).filter(t -> !t.isBlank()).ifPresent(parts::add);
            content.card().map(StructuredContent::card).filter(c -> !c.isBlank()).ifPresent(parts::add);
            content.carousel().ifPresent(carousel -> carousel.cards().stream().map(StructuredContent::card).filter(c -> !c.isBlank())
                    .forEach(parts::add));
            content.datePicker().map(StructuredContent::datePicker).filter(d -> !d.isBlank()).ifPresent(parts::add);
        }
        if (!options.isEmpty()) {
            parts.add("Options: " + String.join(" / ", options));
        }
        return String.join("\n", parts);
    }

    private static Optional<String> label(StructuredMessage.QuickReply reply) {
        return reply.text().or(reply::payload).filter(t -> !t.isBlank());
    }

    private static String card(StructuredMessage.Card card) {
        List<String> lines = new ArrayList<>();
        card.title().filter(t -> !t.isBlank()).ifPresent(lines::add);
        card.description().filter(t -> !t.isBlank()).ifPresent(lines::add);
        card.defaultAction().flatMap(StructuredMessage.Action::url).filter(u -> !u.isBlank()).ifPresent(lines::add);
        List<String> choices = new ArrayList<>();
        for (StructuredMessage.Action action : card.actions()) {
            Optional<String> text = action.text().filter(t -> !t.isBlank());
            Optional<String> url = action.url().filter(u -> !u.isBlank());
            if (url.isPresent()) {
                lines.add(text.map(t -> t + ": ").orElse("") + url.get());
            } else {
                text.or(action::payload).filter(t -> !t.isBlank()).ifPresent(choices::add);
            }
        }
        if (!choices.isEmpty()) {
            lines.add("Options: " + String.join(" / ", choices));
        }
        return String.join("\n", lines);
    }

    private static String datePicker(StructuredMessage.DatePicker picker) {
        List<String> lines = new ArrayList<>();
        picker.title().filter(t -> !t.isBlank()).ifPresent(lines::add);
        picker.subtitle().filter(t -> !t.isBlank()).ifPresent(lines::add);
        List<String> times = picker.availableTimes().stream().flatMap(slot -> slot.dateTime().stream()).map(StructuredContent::iso).toList();
        if (!times.isEmpty()) {
            lines.add("Available times: " + String.join(", ", times));
        }
        return String.join("\n", lines);
    }

    /** A slot's time as ISO 8601 in UTC where it parses; as Genesys wrote it otherwise. */
    private static String iso(String dateTime) {
        try {
            return OffsetDateTime.parse(dateTime).toInstant().toString();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(dateTime).toString();
            } catch (DateTimeParseException again) {
                return dateTime;
            }
        }
    }
}
