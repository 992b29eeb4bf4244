package io.deskbridge.genesys.guestchat.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A chat message's {@code bodyType}; {@link #UNKNOWN} for a value this version does not know. */
public enum BodyType {
    STANDARD("standard"), NOTICE("notice"), MEMBER_JOIN("member-join"), MEMBER_LEAVE("member-leave"),
    MEDIA_REQUEST("media-request"), UNKNOWN("unknown");

    private final String wireName;

    BodyType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static BodyType of(String value) {
        if (value == null) {
            return STANDARD;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (BodyType type : values()) {
            if (type.wireName.equals(v)) {
                return type;
            }
        }
        return UNKNOWN;
    }
}
