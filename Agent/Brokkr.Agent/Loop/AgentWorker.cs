using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Loop;

/// <summary>Start-up, then the agent's loops until the host stops.</summary>
internal sealed class AgentWorker(
    AgentStartup startup,
    AgentRuntime runtime,
    IHostApplicationLifetime lifetime,
    ILogger<AgentWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var (agent, kube) = await startup.RunAsync(stoppingToken);
            runtime.AgentId = agent.Id;
            runtime.Status = agent.Status;
            runtime.KubeClient = kube;
            runtime.Kube = new KubeHealth(true, null, null);
        }
        catch (FatalStartupException e)
        {
            logger.LogCritical(e, "{Message}", e.Message);
            runtime.ExitCode = 1;
            lifetime.StopApplication();
            return;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        await Task.Delay(Timeout.Infinite, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
