using Brokkr.Agent.Apply;
using Brokkr.Agent.Broker;
using Brokkr.Agent.Configuration;
using Brokkr.Agent.Health;
using Brokkr.Agent.Kubernetes;
using Brokkr.Agent.Reporting;
using Brokkr.Agent.State;
using Brokkr.Agent.WorkOrders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.Loop;

/// <summary>
/// Start-up, then the heartbeat loop, the deployment loop and the report queue until the host
/// stops. On SIGTERM: the reconcile in progress finishes (cut off after <see cref="ReconcileGrace"/>),
/// the queue is flushed for up to <see cref="FlushGrace"/>, and the process exits 0; what could not
/// be sent stays queued on disk for the next start.
/// </summary>
internal sealed class AgentWorker(
    AgentOptions options,
    AgentStartup startup,
    IBrokerClient broker,
    AgentRuntime runtime,
    AgentMetrics metrics,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers) : BackgroundService
{
    public static readonly TimeSpan ReconcileGrace = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan FlushGrace = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger = loggers.CreateLogger<AgentWorker>();

    /// <summary>The running loops, once start-up is done (tests reach into them).</summary>
    public DeploymentLoop? Deployment { get; private set; }

    public HeartbeatLoop? Heartbeat { get; private set; }

    public EventQueue? Events { get; private set; }

    public HealthLoop? Health { get; private set; }

    public WorkOrderLoop? WorkOrders { get; private set; }

    public Realtime.AgentWebSocket? WebSocket { get; private set; }

    public LeaderElector? Elector { get; private set; }

    public Telemetry.KubeEventTailer? EventTailer { get; private set; }

    public Telemetry.PodLogTailer? LogTailer { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Start-up may stop the host at once (a fatal error); the host must have finished starting by then.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        KubeApi kube;
        Guid agentId;
        try
        {
            var (agent, connected) = await startup.RunAsync(stoppingToken);
            kube = connected;
            agentId = agent.Id;
            runtime.AgentId = agent.Id;
            runtime.Status = agent.Status;
            runtime.KubeClient = kube;
            runtime.Kube = new KubeHealth(true, null, null);
        }
        catch (FatalStartupException e)
        {
            _logger.LogCritical("{Message}", e.Message);
            runtime.ExitCode = 1;
            lifetime.StopApplication();
            return;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        var stateDir = options.ResolvedStateDir;
        var catalog = new ResourceCatalog(kube, time);
        var applier = new Applier(kube, catalog, new ApplierSettings(options.DefaultNamespace, options.ApplyParallelism, TimeSpan.FromSeconds(options.CrdWaitSeconds)),
            time, loggers.CreateLogger<Applier>());
        var pruner = new Pruner(kube, catalog, new KubeRetry(time), options.WatchNamespace, loggers.CreateLogger<Pruner>());
        var reconciler = new Reconciler(applier, pruner, time, loggers.CreateLogger<Reconciler>(), TimeSpan.FromSeconds(options.RetryBaseSeconds));
        var store = new AppliedSetStore(stateDir, loggers.CreateLogger<AppliedSetStore>());
        var events = new EventQueue(broker, stateDir, time, loggers.CreateLogger<EventQueue>());
        var deployment = new DeploymentLoop(options, broker, reconciler, store, events, runtime, metrics, time, loggers.CreateLogger<DeploymentLoop>());
        var heartbeat = new HeartbeatLoop(options, broker, kube, runtime, metrics, time, loggers.CreateLogger<HeartbeatLoop>(), events.Nudge);
        var workOrders = new WorkOrderLoop(options, broker,
            new WorkOrderExecutor(kube, catalog, new KubeRetry(time), new WorkOrderSettings(options.DefaultNamespace)
            {
                PollInterval = TimeSpan.FromSeconds(options.WorkOrderPollSeconds),
            }, time, loggers.CreateLogger<WorkOrderExecutor>()),
            runtime, time, loggers.CreateLogger<WorkOrderLoop>());
        var diagnostics = new DiagnosticsLoop(options, broker, new Diagnostics.DiagnosticsCollector(kube, catalog, time),
            () => deployment.Applied.Values.ToList(), runtime, time, loggers.CreateLogger<DiagnosticsLoop>());
        using var webhookSender = new Webhooks.WebhookSender();
        var webhooks = new WebhookLoop(options, broker, webhookSender, runtime, time, loggers.CreateLogger<WebhookLoop>());
        var socket = new Realtime.AgentWebSocket(options, type =>
        {
            switch (type)
            {
                case Brokkr.Contracts.Realtime.WireMessageTypes.StackChanged or Brokkr.Contracts.Realtime.WireMessageTypes.TargetChanged:
                    deployment.RequestResync();
                    break;
                case Brokkr.Contracts.Realtime.WireMessageTypes.WorkOrder:
                    workOrders.Trigger.Fire();
                    break;
            }
        }, time, loggers.CreateLogger<Realtime.AgentWebSocket>());
        WebSocket = socket;
        var kubeEvents = new Telemetry.KubeEventTailer(kube, catalog, socket, new Telemetry.OwnershipCache(options.KubeEventUidCacheCap, time), options.WatchNamespace, agentId, time,
            loggers.CreateLogger<Telemetry.KubeEventTailer>());
        var logs = new Telemetry.PodLogTailer(kube, socket, options.WatchNamespace, agentId, time, loggers.CreateLogger<Telemetry.PodLogTailer>());
        EventTailer = kubeEvents;
        LogTailer = logs;
        var health = new HealthLoop(options, broker, new DeploymentHealthChecker(kube, catalog, options.WatchNamespace, time),
            () => deployment.Applied.Values.ToList(), runtime, time, loggers.CreateLogger<HealthLoop>());
        Events = events;

        LeaderElector? elector = null;
        if (options.LeaderElection)
        {
            elector = new LeaderElector(kube, LeaseNamespace(), options.LeaderElectionLeaseName ?? $"brokkr-agent-{options.AgentName.ToLowerInvariant()}",
                options.LeaderElectionIdentity ?? System.Environment.GetEnvironmentVariable("POD_NAME") ?? $"{System.Environment.MachineName}-{System.Environment.ProcessId}",
                TimeSpan.FromSeconds(Math.Max(3, options.LeaderElectionLeaseSeconds)), time, loggers.CreateLogger<LeaderElector>());
            Elector = elector;
            try
            {
                await elector.AcquireAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        // With an active-passive pair the other replica may have worked since this one saved anything:
        // a new leader reads what is applied from the cluster.
        var applied = elector is null ? store.Load(agentId) : null;
        if (applied is null)
        {
            try
            {
                applied = await new ClusterScanner(kube, catalog, options.WatchNamespace, loggers.CreateLogger<ClusterScanner>()).ScanAsync(agentId, stoppingToken);
                store.Save(agentId, applied);
            }
            catch (KubeApiException e)
            {
                _logger.LogError("Could not rebuild the applied set from the cluster: {Error}", e.Message);
                applied = [];
            }
        }

        deployment.Initialize(applied);
        _logger.LogInformation("State in {StateDir}: {Stacks} stacks applied, {Queued} reports queued", Path.GetFullPath(stateDir), applied.Count, events.Count);
        Deployment = deployment;
        Heartbeat = heartbeat;
        Health = health;
        WorkOrders = workOrders;

        using var lost = new CancellationTokenSource();
        using var work = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lost.Token);
        var stopping = work.Token;
        var keeping = elector is null ? Task.CompletedTask : Task.Run(async () =>
        {
            await elector.KeepAsync(stopping);
            if (!elector.IsLeader && !stoppingToken.IsCancellationRequested)
            {
                await lost.CancelAsync();
            }
        }, CancellationToken.None);

        using var hard = new CancellationTokenSource();
        await using var cutOff = stopping.Register(() => hard.CancelAfter(lost.IsCancellationRequested ? TimeSpan.Zero : ReconcileGrace));
        // Before the queue starts sending, so that what is queued is what the broker has not yet got.
        await deployment.ReportUnacknowledgedAsync(agentId, stopping);
        using var queueStop = new CancellationTokenSource();
        var queue = Task.Run(() => events.RunAsync(queueStop.Token), CancellationToken.None);

        await Task.WhenAll(
            Guard("heartbeat", () => heartbeat.RunAsync(agentId, stopping), stopping),
            Guard("deployment", () => deployment.RunAsync(agentId, stopping, hard.Token), stopping),
            Guard("work-order", () => workOrders.RunAsync(agentId, stopping, hard.Token), stopping),
            Guard("diagnostics", () => diagnostics.RunAsync(agentId, stopping), stopping),
            Guard("webhook", () => webhooks.RunAsync(agentId, stopping), stopping),
            Guard("websocket", () => socket.RunAsync(stopping), stopping),
            options.WsForceRest ? Task.CompletedTask : Guard("event tailer", () => kubeEvents.RunAsync(stopping), stopping),
            options.WsForceRest ? Task.CompletedTask : Guard("log tailer", () => logs.RunAsync(stopping), stopping),
            options.DeploymentHealthEnabled ? Guard("health", () => health.RunAsync(agentId, stopping), stopping) : Task.CompletedTask);

        await work.CancelAsync();
        await keeping;
        if (lost.IsCancellationRequested)
        {
            // Another replica holds the Lease now; exit non-zero so this one is restarted as the standby.
            runtime.ExitCode = 1;
            lifetime.StopApplication();
        }
        else if (elector is not null)
        {
            using var release = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await elector.ReleaseAsync(release.Token);
        }

        await queueStop.CancelAsync();
        await queue;
        using var flush = new CancellationTokenSource(FlushGrace);
        try
        {
            await events.SendPendingAsync(flush.Token);
        }
        catch (OperationCanceledException)
        {
            // Out of time: what is left stays on disk.
        }

        _logger.LogInformation("Agent stopped; {Queued} reports still queued", events.Count);
    }

    private string LeaseNamespace()
        => options.LeaderElectionNamespace
            ?? System.Environment.GetEnvironmentVariable("POD_NAMESPACE")
            ?? options.WatchNamespace
            ?? "default";

    /// <summary>Runs a loop; a bug in one pass is logged and the loop starts again instead of taking the agent down.</summary>
    private async Task Guard(string name, Func<Task> loop, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await loop();
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogError(e, "The {Loop} loop failed; restarting it", name);
                try
                {
                    await Task.Delay(options.PollingPeriod, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
