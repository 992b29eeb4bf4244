package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the organization is made of: its guest chat deployments, its queues, its OAuth clients and the roster of
 * agents the console offers. {@link GenesysSimulator} documents each operation for tests; the endpoints read it here.
 *
 * <p>Thread-safe: deployments, queues and clients in concurrent maps (queue creation under this object's lock, so
 * that two creations of one name make one queue), the roster under its own lock.
 */
final class SimulatedOrganization {
    private final String organizationId;
    private final Ids ids;
    private final Map<String, GuestChatDeployment> deployments = new ConcurrentHashMap<>();
    private final Map<String, SimulatedQueue> queuesById = new ConcurrentHashMap<>();
    private final Map<String, String> oauthClients = new ConcurrentHashMap<>();
    private final Map<String, GenesysAgent> agents = new LinkedHashMap<>();
    private final String defaultDeploymentId;
    private final String defaultQueueName;

    /**
     * @param deployments at least one; the first is the default
     * @param queueNames at least one; the first is the default
     * @param oauthClients at least one, client id to secret
     */
    SimulatedOrganization(String organizationId, Ids ids, List<GuestChatDeployment> deployments,
            List<String> queueNames, Map<String, String> oauthClients, List<GenesysAgent> agents) {
        this.organizationId = requireNonNull(organizationId, "organizationId is null");
        this.ids = requireNonNull(ids, "ids is null");
        if (deployments.isEmpty() || queueNames.isEmpty() || oauthClients.isEmpty()) {
            throw new IllegalArgumentException("an organization needs a deployment, a queue and an OAuth client");
        }
        deployments.forEach(this::putDeployment);
        this.defaultDeploymentId = deployments.get(0).id();
        queueNames.forEach(this::createQueue);
        this.defaultQueueName = queueNames.get(0);
        this.oauthClients.putAll(oauthClients);
        agents.forEach(this::addAgent);
    }

    String organizationId() {
        return organizationId;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Deployments

    Optional<GuestChatDeployment> deployment(String deploymentId) {
        return Optional.ofNullable(deployments.get(deploymentId.toLowerCase(Locale.ROOT)));
    }

    String defaultDeploymentId() {
        return defaultDeploymentId;
    }

    GuestChatDeployment defaultDeployment() {
        return deployment(defaultDeploymentId).orElseThrow();
    }

    void putDeployment(GuestChatDeployment deployment) {
        requireNonNull(deployment, "deployment is null");
        deployments.put(deployment.id().toLowerCase(Locale.ROOT), deployment);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Queues

    synchronized SimulatedQueue createQueue(String name) {
        requireNonNull(name, "name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("queue name is blank");
        }
        return queueByName(name).orElseGet(() -> {
            SimulatedQueue queue = new SimulatedQueue(ids.next(Ids.Kind.QUEUE), name);
            queuesById.put(queue.id(), queue);
            return queue;
        });
    }

    Optional<SimulatedQueue> queueByName(String name) {
        return queuesById.values().stream().filter(q -> q.name().equalsIgnoreCase(name)).findFirst();
    }

    Optional<SimulatedQueue> queueById(String queueId) {
        return Optional.ofNullable(queuesById.get(queueId));
    }

    SimulatedQueue defaultQueue() {
        return queueByName(defaultQueueName).orElseThrow();
    }

    String defaultQueueName() {
        return defaultQueueName;
    }

    List<SimulatedQueue> queues() {
        return List.copyOf(queuesById.values());
    }

    // ---------------------------------------------------------------------------------------------------------
    // OAuth clients

    void putOAuthClient(String clientId, String clientSecret) {
        oauthClients.put(requireNonNull(clientId, "clientId is null"),
                requireNonNull(clientSecret, "clientSecret is null"));
    }

    Optional<String> oauthClientSecret(String clientId) {
        return Optional.ofNullable(oauthClients.get(clientId));
    }

    /** The client a generated configuration names: the first by id, so that the choice is stable. */
    Map.Entry<String, String> firstOAuthClient() {
        return oauthClients.entrySet().stream().min(Map.Entry.comparingByKey())
                .map(client -> Map.entry(client.getKey(), client.getValue())).orElseThrow();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The roster

    void addAgent(GenesysAgent agent) {
        requireNonNull(agent, "agent is null");
        synchronized (agents) {
            agents.put(agent.id(), agent);
        }
    }

    List<GenesysAgent> agents() {
        synchronized (agents) {
            return List.copyOf(agents.values());
        }
    }

    Optional<GenesysAgent> agent(String agentId) {
        synchronized (agents) {
            return Optional.ofNullable(agents.get(agentId));
        }
    }
}
