package io.deskbridge.webchat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Carbon AI Chat as a user sees it, in Chromium: its elements live in shadow roots, so they are found by walking
 * every shadow root of the page (a query Selenium's CSS selectors cannot make across roots).
 */
final class CarbonPage {
    /** Every element matching a selector, in every shadow root; optionally only those whose text holds a string. */
    private static final String DEEP_FIND = """
            const [selector, text] = arguments;
            const deepText = (node, parts) => {
              if (node.nodeType === Node.TEXT_NODE) { parts.push(node.textContent); return parts; }
              if (node.tagName === 'SCRIPT' || node.tagName === 'STYLE') return parts;
              if (node.shadowRoot) deepText(node.shadowRoot, parts);
              for (const child of node.childNodes) deepText(child, parts);
              return parts;
            };
            const found = [];
            const visit = (root) => {
              for (const element of root.querySelectorAll(selector)) {
                const content = (deepText(element, []).join(' ') + ' ' + (element.getAttribute('aria-label') || '')).replace(/\\s+/g, ' ');
                if (!text || content.includes(text)) found.push(element);
              }
              for (const element of root.querySelectorAll('*')) {
                if (element.shadowRoot) visit(element.shadowRoot);
              }
            };
            visit(document);
            return found;
            """;
    /** The page's visible text, shadow roots included. */
    private static final String DEEP_TEXT = """
            const parts = [];
            const visit = (node) => {
              if (node.nodeType === Node.TEXT_NODE) { parts.push(node.textContent); return; }
              if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE && node.nodeType !== Node.DOCUMENT_NODE) return;
              if (node.tagName === 'SCRIPT' || node.tagName === 'STYLE') return;
              if (node.shadowRoot) visit(node.shadowRoot);
              for (const child of node.childNodes) visit(child);
            };
            visit(document.body);
            return parts.join(' ').replace(/\\s+/g, ' ');
            """;

    private final ChromeDriver browser;
    private final WebDriverWait wait;

    CarbonPage(ChromeDriver browser, Duration timeout) {
        this.browser = browser;
        this.wait = new WebDriverWait(browser, timeout, Duration.ofMillis(100));
    }

    @SuppressWarnings("unchecked")
    List<WebElement> find(String selector, String text) {
        return (List<WebElement>) ((JavascriptExecutor) browser).executeScript(DEEP_FIND, selector, text);
    }

    String text() {
        return (String) ((JavascriptExecutor) browser).executeScript(DEEP_TEXT);
    }

    /** Waits for an element matching {@code selector} (with {@code text}, if given) that is displayed. */
    WebElement await(String selector, String text) {
        try {
            return wait.until(d -> find(selector, text).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
        } catch (TimeoutException e) {
            throw new AssertionError("No " + selector + (text == null ? "" : " with text '" + text + "'") + " appeared; the page shows: "
                    + text(), e);
        }
    }

    Optional<WebElement> first(String selector, String text) {
        return find(selector, text).stream().filter(WebElement::isDisplayed).findFirst();
    }

    /** Waits for the page's text (shadow roots included) to hold {@code expected}. */
    void awaitText(String expected) {
        try {
            wait.until(d -> text().contains(expected));
        } catch (TimeoutException e) {
            throw new AssertionError("The page never showed '" + expected + "'; it shows: " + text(), e);
        }
    }

    /** Clicks the innermost button (native or Carbon's {@code cds-button}) whose text or label holds {@code text}. */
    void click(String text) {
        try {
            wait.until(d -> {
                List<WebElement> buttons = find("button, cds-button, [role=button]", text).stream().filter(WebElement::isDisplayed).toList();
                if (buttons.isEmpty()) {
                    return false;
                }
                WebElement button = buttons.get(buttons.size() - 1);
                try {
                    button.click();
                } catch (ElementClickInterceptedException e) {
                    // An icon slotted into Carbon's button takes the click: the user's click reaches the button all the same.
                    ((JavascriptExecutor) browser).executeScript("arguments[0].click()", button);
                }
                return true;
            });
        } catch (TimeoutException e) {
            throw new AssertionError("No button '" + text + "' to click; the page shows: " + text(), e);
        }
    }

    /** Types into Carbon's message input and sends with Enter. */
    void send(String message) {
        WebElement input = await("textarea, [contenteditable='true']", null);
        input.click();
        input.sendKeys(message);
        input.sendKeys(Keys.ENTER);
    }
}
