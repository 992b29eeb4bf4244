package io.deskbridge.genesys.webmessaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Custom attributes within maxCustomDataBytes")
class CustomAttributesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @DisplayName("Size is counted as Genesys's messenger SDK counts it: the UTF-8 bytes of keys and values, no JSON around them")
    void sizeAsTheSdk() {
        assertThat(CustomAttributes.size(JSON, Map.of("topic", "billing", "é", "ü"))).isEqualTo(5 + 7 + 2 + 2);
    }

    @Test
    @DisplayName("An attribute that fits by the SDK's count is kept; the next that does not is dropped")
    void fitsAsTheSdk() {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("topic", "billing"); // 12 bytes
        wanted.put("skills", "en"); // 8 bytes: 20 in all, 36 as JSON
        wanted.put("x", "y");
        CustomAttributes.Fitted fitted = CustomAttributes.fit(JSON, wanted, 20);
        assertThat(fitted.attributes()).containsOnlyKeys("topic", "skills");
        assertThat(fitted.dropped()).containsExactly("x");
    }
}
