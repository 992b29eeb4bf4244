package io.deskbridge.testkit;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.UserMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Rule 14 seen from the vendor's side: a declared capability works only if what it carries arrives there. The agent
 * driver reads back what the vendor received (the user's name and locale, files with their bytes), so a desk whose call
 * completes and does nothing fails.
 */
abstract class VendorSideTests extends KitGroup {

    static final String USER_NAME = "Kit User";
    static final String RENAMED_USER = "Kit User Renamed";
    static final String LOCALE = "en-GB";

    VendorSideTests(ServiceDeskConformanceKit kit) {
        super(kit);
    }

    @Test
    @DisplayName("Rule 14: declared UPDATE_STATE: the user's name and locale reach the vendor, before and during the chat")
    void userNameAndLocaleReachTheVendor() {
        declaredCapabilityWorks(Capability.UPDATE_STATE, () -> {
            ChatUnderTest chat = newChat();
            chat.await(chat.updateState(ChatState.empty().withDisplayName(USER_NAME).withLocale(LOCALE)), "updateState before startChat");
            chat.start();
            chat.awaitVendor(() -> chat.agent().userName().equals(Optional.of(USER_NAME)),
                    () -> "the user's name \"" + USER_NAME + "\" (updateState before startChat) at the vendor, which shows "
                            + describe(() -> chat.agent().userName()));
            if (driver().vendorKeepsLocale()) {
                chat.awaitVendor(() -> chat.agent().userLocale().equals(Optional.of(LOCALE)),
                        () -> "the user's locale " + LOCALE + " (updateState before startChat) at the vendor, which has "
                                + describe(() -> chat.agent().userLocale()));
            }
            chat.join(firstAgent());
            if (!driver().vendorTakesUserUpdatesDuringChat()) {
                return;
            }
            chat.await(chat.updateState(ChatState.empty().withDisplayName(RENAMED_USER).withLocale(LOCALE)), "updateState during the chat");
            // Some vendors take changed details only with the user's next message: send one.
            chat.await(chat.send("I changed my name"), "sendMessageToAgent after updateState");
            chat.awaitVendor(() -> chat.agent().userName().equals(Optional.of(RENAMED_USER)),
                    () -> "the user's new name \"" + RENAMED_USER + "\" (updateState during the chat, then a message) at the vendor, which shows "
                            + describe(() -> chat.agent().userName()));
        });
    }

    @Test
    @DisplayName("Rule 14: declared FILE_UPLOADS: a file sent with a message reaches the vendor with its name and bytes")
    void fileReachesTheVendor() {
        declaredCapabilityWorks(Capability.FILE_UPLOADS, () -> {
            ChatUnderTest chat = joinedChat();
            FileUpload file = kit.acceptableFile();
            byte[] bytes = read(file);
            chat.await(chat.filesSelectedForUpload(List.of(file)), "filesSelectedForUpload");
            chat.await(chat.send(new UserMessage(chat.nextMessageId(), "the file you asked for", List.of(file))),
                    "sendMessageToAgent with a file");
            chat.awaitVendor(() -> chat.agent().userFiles().stream()
                    .anyMatch(f -> f.fileName().equals(file.fileName()) && Arrays.equals(f.content(), bytes)),
                    () -> "the file " + file.fileName() + " (" + bytes.length + " bytes) at the vendor, which received "
                            + describe(() -> chat.agent().userFiles()));
        });
    }

    @Test
    @DisplayName("Rule 14: declared FILE_UPLOADS: a file the vendor refuses is reported when it is selected")
    void refusedFileReportedOnSelection() {
        declaredCapabilityWorks(Capability.FILE_UPLOADS, () -> {
            ChatUnderTest chat = joinedChat();
            FileUpload refused = kit.refusedFile();
            chat.await(chat.filesSelectedForUpload(List.of(refused)), "filesSelectedForUpload of a file the vendor refuses");
            chat.awaitEvent(e -> e instanceof CallbackEvent.FileStatus f && f.status().fileId().equals(refused.id()) && f.status().isError(),
                    "setFileUploadStatus with an error for " + refused.fileName() + " (" + refused.sizeBytes() + " bytes, "
                            + refused.contentType() + "), selected but refused by the vendor");
        });
    }

    private static byte[] read(FileUpload file) {
        try (InputStream in = file.content().open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the kit's own acceptable file " + file.fileName(), e);
        }
    }

    /** What a driver read returns, for failure messages (a read that throws says so). */
    private static String describe(java.util.function.Supplier<?> read) {
        try {
            return String.valueOf(read.get());
        } catch (DriverHookMissing e) {
            throw e;
        } catch (RuntimeException e) {
            return "(" + e + ")";
        }
    }
}
