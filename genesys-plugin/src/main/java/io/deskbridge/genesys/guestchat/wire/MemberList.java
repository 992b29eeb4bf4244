package io.deskbridge.genesys.guestchat.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/** A page of {@code GET …/members} ({@code WebChatMemberInfoEntityList}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemberList(List<WebChatMember> entities, Optional<Integer> pageCount, Optional<Integer> pageNumber) {
    public MemberList {
        entities = entities == null ? List.of() : List.copyOf(entities);
        pageCount = pageCount == null ? Optional.empty() : pageCount;
        pageNumber = pageNumber == null ? Optional.empty() : pageNumber;
    }
}
