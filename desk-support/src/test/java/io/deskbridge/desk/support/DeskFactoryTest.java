package io.deskbridge.desk.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import io.deskbridge.testkit.VirtualScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("DeskFactory")
class DeskFactoryTest {

    @Test
    @DisplayName("each chat's desk gets its own lane over the shared threads, and the factory declares the desk's capabilities")
    void lanePerChat() {
        VirtualScheduler scheduler = new VirtualScheduler();
        List<ChatLane> lanes = new ArrayList<>();
        List<String> chats = new ArrayList<>();
        DeskFactory factory = new DeskFactory(Set.of(Capability.RECONNECT), scheduler, scheduler, (context, lane) -> {
            lanes.add(lane);
            chats.add(context.chatId());
            return new ServiceDesk() {
                @Override
                public String name() {
                    return "test";
                }

                @Override
                public Set<Capability> capabilities() {
                    return Set.of(Capability.RECONNECT);
                }

                @Override
                public CompletionStage<Void> startChat(ConnectRequest request, StartChatOptions options) {
                    return lane.call(done -> done.complete(null));
                }

                @Override
                public CompletionStage<Void> endChat(EndChatInfo info) {
                    return lane.call(done -> done.complete(null));
                }

                @Override
                public CompletionStage<Void> sendMessageToAgent(UserMessage message) {
                    return lane.call(done -> done.completeExceptionally(new ServiceDeskException(ServiceDeskException.Kind.INTERNAL, "no")));
                }
            };
        });

        factory.create(new DeskContext("chat-1", new IgnoringCallback()));
        factory.create(new DeskContext("chat-2", new IgnoringCallback()));

        assertThat(chats).containsExactly("chat-1", "chat-2");
        assertThat(lanes).doesNotHaveDuplicates().hasSize(2);
        assertThat(factory.capabilities()).containsExactly(Capability.RECONNECT);
        List<Boolean> onLane = new ArrayList<>();
        lanes.get(0).execute(() -> onLane.add(lanes.get(0).isCurrent() && !lanes.get(1).isCurrent()));
        scheduler.runDueTasks();
        assertThat(onLane).containsExactly(true);
    }
}
