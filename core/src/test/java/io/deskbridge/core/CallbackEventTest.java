package io.deskbridge.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskCallback;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CallbackEvent")
class CallbackEventTest {

    static final List<CallbackEvent> ONE_OF_EACH = List.of(
            new CallbackEvent.AvailabilityUpdated(AgentAvailability.position(1)),
            new CallbackEvent.AgentJoined(new AgentProfile("a", "Alice")),
            new CallbackEvent.TransferStarted(Optional.empty()),
            new CallbackEvent.AgentLeft(),
            new CallbackEvent.AgentEnded(),
            new CallbackEvent.AgentTyping(true),
            new CallbackEvent.AgentRead(),
            new CallbackEvent.MessageToUser(AgentMessage.fromBot("m1", "hello")),
            new CallbackEvent.ErrorStatus(new ErrorInfo.Disconnected(true)),
            new CallbackEvent.FileStatus(FileUploadStatus.accepted("f1")),
            new CallbackEvent.CapabilitiesUpdated(Set.of(Capability.FILE_UPLOADS)),
            new CallbackEvent.PersistedStateUpdated(PersistedState.empty()));

    @Test
    @DisplayName("there is one event per callback method, named after it")
    void onePerMethod() {
        Set<String> methods = Arrays.stream(ServiceDeskCallback.class.getDeclaredMethods()).map(Method::getName).collect(Collectors.toSet());

        assertThat(ONE_OF_EACH.stream().map(CallbackEvent::methodName).collect(Collectors.toSet())).isEqualTo(methods);
        assertThat(CallbackEvent.class.getPermittedSubclasses()).hasSize(methods.size());
    }

    @Test
    @DisplayName("recording a delivered event gives the same event back")
    void roundTrip() {
        List<CallbackEvent> recorded = new ArrayList<>();
        ServiceDeskCallback recorder = CallbackEvent.recorder(recorded::add);

        ONE_OF_EACH.forEach(event -> event.deliverTo(recorder));

        assertThat(recorded).isEqualTo(ONE_OF_EACH);
    }
}
