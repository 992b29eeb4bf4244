package io.deskbridge.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * What a desk needs to {@link ServiceDesk#reconnect()} to a chat from a new instance, perhaps in a new process
 * (rule 13). A flat map of strings, so every store can keep it as JSON; small (the runtime warns above
 * {@link #RECOMMENDED_MAX_CHARS} characters); it holds no secret that outlives the chat (a chat-scoped token is
 * fine; an OAuth client secret is not).
 *
 * @param values the desk's keys and values
 */
public record PersistedState(Map<String, String> values) {
    /** The size, in characters of keys and values, above which a state is too large to be stored cheaply. */
    public static final int RECOMMENDED_MAX_CHARS = 4096;

    public PersistedState {
        values = Map.copyOf(requireNonNull(values, "values is null"));
    }

    /** A state with no values. */
    public static PersistedState empty() {
        return new PersistedState(Map.of());
    }

    /** The value under {@code key}, if there is one. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Whether the state holds no value. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The size of the state in characters (keys and values). */
    public int sizeInChars() {
        return values.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
    }

    /** A copy with one key set (or removed when {@code value} is {@code null}). */
    public PersistedState with(String key, String value) {
        var copy = new java.util.HashMap<>(values);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return new PersistedState(copy);
    }

    @Override
    public String toString() {
        // Values may hold chat-scoped tokens: print the keys only.
        return "PersistedState" + new java.util.TreeSet<>(values.keySet());
    }
}
