package io.deskbridge.desk.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.core.Configuration;
import io.deskbridge.core.Settings;
import io.deskbridge.spi.FileUpload;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("FileRules")
class FileRulesTest {
    final FileRules rules = new FileRules(Set.of("PDF", ".txt"), 100);

    static FileUpload file(String id, String name, long size) {
        return new FileUpload(id, name, "application/octet-stream", size, () -> new ByteArrayInputStream(new byte[0]));
    }

    @Test
    @DisplayName("a file of another type or larger than allowed is refused with a sentence naming it; types ignore case and dots")
    void refusals() {
        assertThat(rules.allowedTypes()).containsExactlyInAnyOrder("pdf", "txt");
        assertThat(rules.refusal(file("f1", "notes.TXT", 100))).isEmpty();
        assertThat(rules.refusal(file("f2", "setup.exe", 1))).contains("setup.exe cannot be sent: only pdf, txt files are accepted");
        assertThat(rules.refusal(file("f3", "scan.pdf", 101))).contains("scan.pdf cannot be sent: it is larger than 100 bytes");
        assertThat(rules.refusal(List.of(file("f1", "a.txt", 1), file("f3", "scan.pdf", 101), file("f2", "setup.exe", 1))))
                .contains("scan.pdf cannot be sent: it is larger than 100 bytes");
        assertThat(rules.refusal(List.of())).isEmpty();
    }

    @Test
    @DisplayName("read from a desk's settings, with defaults, and every problem reported by key")
    void fromSettings() {
        Settings defaults = Configuration.of(Map.of()).settings("acme");
        assertThat(FileRules.read(defaults, 2048, List.of("png"))).isEqualTo(new FileRules(Set.of("png"), 2048));

        Settings set = Configuration.of(Map.of("acme.maxFileSize", "10", "acme.allowedFileTypes", "PNG, .pdf")).settings("acme");
        assertThat(FileRules.read(set, 2048, List.of("png"))).isEqualTo(new FileRules(Set.of("png", "pdf"), 10));

        Settings wrong = Configuration.of(Map.of("acme.maxFileSize", "0")).settings("acme");
        FileRules.read(wrong, 2048, List.of("png"));
        assertThat(wrong.problems()).singleElement().asString().contains("acme.maxFileSize");
    }

    @Test
    @DisplayName("rules that let no file through are refused")
    void invalid() {
        assertThatThrownBy(() -> new FileRules(Set.of(), 10)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowedTypes");
        assertThatThrownBy(() -> new FileRules(Set.of("pdf"), 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFileSize");
    }
}
