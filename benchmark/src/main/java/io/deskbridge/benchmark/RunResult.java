package io.deskbridge.benchmark;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * What one run measured: the raw baseline (the simulator without deskbridge) or deskbridge.
 *
 * @param name {@code raw baseline} or {@code deskbridge}
 * @param where where the measured parts ran (which JVM the threads and heap are of)
 * @param stages threads and heap at 0, N/4, N/2 and N chats, each after its chats joined and before that stage's
 *     message rounds, with the latency of those rounds
 * @param chatsOpened chats opened
 * @param chatsJoined chats whose agent joined
 * @param rampMillis from the first chat opened to the last stage's chats joined (or given up)
 * @param setup from opening the socket to the agent joined, per chat, in nanoseconds
 * @param userToAgent user message leaving the user's socket to the simulator recording it, in nanoseconds
 * @param agentToUser the simulator's agent send to the user's socket receiving it, in nanoseconds
 * @param userToAgentMeasured whether the user-to-agent path is measured (not for guest chat)
 * @param agentToUserMeasured whether the agent-to-user path is measured (not with the example desk, whose latency is
 *     the round trip from the user's message to its answer, in {@code userToAgent})
 * @param setupMillis the time the stages spent opening chats and waiting for their agents (not sampling, not messages)
 * @param cpu the CPU time the operating system counted for the measured JVM during the message rounds, if known
 * @param messages the messages delivered during those rounds (both directions)
 * @param messagesLost messages sent and never seen at the other end, by direction
 * @param failures failed chats by their first reason
 */
record RunResult(String name, String where, List<Stage> stages, int chatsOpened, int chatsJoined, long rampMillis, Histogram setup,
        Histogram userToAgent, Histogram agentToUser, boolean userToAgentMeasured, boolean agentToUserMeasured, long setupMillis,
        Optional<Duration> cpu, long messages, Map<String, Long> messagesLost, Map<String, Integer> failures) {

    /**
     * Threads and heap with this many chats joined, and the latency of the message rounds run with them.
     *
     * @param userToAgent that stage's user-to-agent delays (or round trips, with the example desk), nanoseconds
     * @param agentToUser that stage's agent-to-user delays, nanoseconds
     */
    record Stage(int chats, int joined, ProcessStats stats, Histogram userToAgent, Histogram agentToUser) {
        Stage(int chats, int joined, ProcessStats stats) {
            this(chats, joined, stats, new Histogram(3), new Histogram(3));
        }

        Stage withLatency(Histogram userToAgentDelays, Histogram agentToUserDelays) {
            return new Stage(chats, joined, stats, userToAgentDelays, agentToUserDelays);
        }
    }

    /** CPU seconds the measured JVM spent per 1,000 messages delivered during the rounds, if known. */
    Optional<Double> cpuSecondsPerThousandMessages() {
        return messages == 0 ? Optional.empty() : cpu.map(d -> d.toNanos() / 1e9 * 1000.0 / messages);
    }

    /** Chats set up (socket opened to agent joined) per second of the stages' opening time. */
    double chatsSetUpPerSecond() {
        return setupMillis == 0 ? 0 : chatsJoined * 1000.0 / setupMillis;
    }

    /** Heap per idle joined chat: used heap after GC at the last stage minus at 0 chats, over the chats joined. */
    long heapPerIdleChat() {
        Stage first = stages.get(0);
        Stage last = stages.get(stages.size() - 1);
        return last.joined() == 0 ? 0 : (last.stats().heapUsedAfterGc() - first.stats().heapUsedAfterGc()) / last.joined();
    }

    int failedChats() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }
}
