package io.deskbridge.benchmark;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one run measured: the raw baseline (the simulator without deskbridge) or deskbridge.
 *
 * @param name {@code raw baseline} or {@code deskbridge}
 * @param where where the measured parts ran (which JVM the threads and heap are of)
 * @param stages threads and heap at 0, N/4, N/2 and N chats, each after its chats joined
 * @param chatsOpened chats opened
 * @param chatsJoined chats whose agent joined
 * @param rampMillis from the first chat opened to the last stage's chats joined (or given up)
 * @param setup from opening the socket to the agent joined, per chat, in nanoseconds
 * @param userToAgent user message leaving the user's socket to the simulator recording it, in nanoseconds
 * @param agentToUser the simulator's agent send to the user's socket receiving it, in nanoseconds
 * @param userToAgentMeasured whether the user-to-agent path is measured (not for guest chat)
 * @param messagesLost messages sent and never seen at the other end, by direction
 * @param failures failed chats by their first reason
 */
record RunResult(String name, String where, List<Stage> stages, int chatsOpened, int chatsJoined, long rampMillis, Histogram setup,
        Histogram userToAgent, Histogram agentToUser, boolean userToAgentMeasured, Map<String, Long> messagesLost,
        Map<String, Integer> failures) {

    /** Threads and heap with this many chats joined. */
    record Stage(int chats, int joined, ProcessStats stats) {}

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
