using Brokkr.Agent.Broker;
using Brokkr.Agent.Configuration;
using Brokkr.Agent.Kubernetes;
using Microsoft.Extensions.Logging;
using AgentRecord = Brokkr.Contracts.Agents.Agent;

namespace Brokkr.Agent.Loop;

/// <summary>
/// The reference's start-up sequence (behaviour §14.1): wait for the broker, verify the PAK, find
/// this agent by name and cluster, self-register with the configured generators, connect to
/// Kubernetes. Every failure but a registration error is fatal.
/// </summary>
internal sealed class AgentStartup(
    AgentOptions options,
    IBrokerClient broker,
    Func<KubeApi> connectKube,
    Func<string, string?> environment,
    TimeProvider time,
    ILogger<AgentStartup> logger)
{
    public async Task<(AgentRecord Agent, KubeApi Kube)> RunAsync(CancellationToken cancellationToken)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new FatalStartupException("Invalid configuration: " + string.Join("; ", problems));
        }

        await WaitForBrokerAsync(cancellationToken);

        AuthResponse auth;
        try
        {
            auth = await broker.VerifyPakAsync(cancellationToken);
        }
        catch (BrokerException e) when (e.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            throw new FatalStartupException("Invalid agent PAK", e);
        }
        catch (BrokerException e)
        {
            throw new FatalStartupException($"Could not verify the PAK: {e.Message}", e);
        }

        if (auth.Agent is null)
        {
            logger.LogWarning("The configured PAK is not an agent PAK (admin={Admin}); use the agent's own PAK", auth.Admin);
        }

        AgentRecord agent;
        try
        {
            agent = await broker.FindAgentAsync(options.AgentName, options.ClusterName, cancellationToken);
        }
        catch (BrokerException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new FatalStartupException($"Agent not found: no agent named '{options.AgentName}' in cluster '{options.ClusterName}'", e);
        }
        catch (BrokerException e)
        {
            throw new FatalStartupException($"Could not look up agent '{options.AgentName}' in cluster '{options.ClusterName}': {e.Message}", e);
        }

        logger.LogInformation("Agent {AgentId} ({Name}, cluster {Cluster}) is {Status}", agent.Id, agent.Name, agent.ClusterName, agent.Status);
        await RegisterAsync(agent.Id, cancellationToken);

        KubeApi kube;
        try
        {
            kube = connectKube();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new FatalStartupException($"Could not configure the Kubernetes client: {e.Message}", e);
        }

        try
        {
            var version = await kube.VersionAsync(cancellationToken);
            logger.LogInformation("Connected to Kubernetes {Version} at {Server}", version, kube.BaseUri);
        }
        catch (KubeApiException e)
        {
            kube.Dispose();
            throw new FatalStartupException($"Kubernetes API at {kube.BaseUri} is unavailable: {e.Message}", e);
        }

        return (agent, kube);
    }

    private async Task WaitForBrokerAsync(CancellationToken cancellationToken)
    {
        var attempts = Math.Max(1, options.MaxRetries);
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (await broker.IsReadyAsync(cancellationToken))
            {
                return;
            }

            if (attempt < attempts)
            {
                logger.LogInformation("Broker at {Url} not ready (attempt {Attempt} of {Attempts})", options.BrokerUrl, attempt, attempts);
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            }
        }

        throw new FatalStartupException($"Broker at {options.BrokerUrl} not ready after {attempts} attempts");
    }

    private async Task RegisterAsync(Guid agentId, CancellationToken cancellationToken)
    {
        var (valid, malformed, legacy) = options.ParseGeneratorIds(environment(AgentConfiguration.LegacyGeneratorIdsVariable));
        if (legacy)
        {
            logger.LogWarning("{Variable} is deprecated; use BROKKR__AGENT__GENERATOR_IDS", AgentConfiguration.LegacyGeneratorIdsVariable);
        }

        foreach (var bad in malformed)
        {
            logger.LogWarning("Skipping malformed generator id '{GeneratorId}'", bad);
        }

        foreach (var generatorId in valid)
        {
            try
            {
                await broker.RegisterWithGeneratorAsync(generatorId, agentId, cancellationToken);
                logger.LogInformation("Registered with generator {GeneratorId}", generatorId);
            }
            catch (BrokerException e)
            {
                logger.LogError("Could not register with generator {GeneratorId}: {Error}", generatorId, e.Message);
            }
        }
    }
}
