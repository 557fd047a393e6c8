using System.Diagnostics;
using System.Threading.Channels;
using Brokkr.Contracts.Telemetry;
using Brokkr.Realtime.Bus;
using Brokkr.Realtime.Cluster;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Brokkr.Realtime.Channel;

/// <summary>A telemetry frame already delivered to this replica's subscribers, for the others and for storage.</summary>
internal sealed record IngestItem(Guid StackId, OutboundFrame Frame, K8sEventReport? Event = null, PodLogLineReport? Line = null);

/// <summary>
/// Batches the agents' telemetry of all sockets: at most <see cref="RealtimeOptions.IngestBatchSize"/>
/// items or <see cref="RealtimeOptions.IngestFlushInterval"/>, then first the frames other replicas'
/// subscribers want (one NOTIFY round trip), then storage (one insert per kind). A full queue drops
/// and counts; at shutdown what is queued is flushed.
/// </summary>
internal sealed class TelemetryIngest(
    ReplicaIdentity self,
    ClusterState cluster,
    RealtimeBus bus,
    IServiceScopeFactory scopes,
    RealtimeOptions options,
    ILogger<TelemetryIngest> logger) : BackgroundService
{
    private readonly Channel<IngestItem> _queue = System.Threading.Channels.Channel.CreateBounded<IngestItem>(
        new BoundedChannelOptions(options.IngestQueue) { SingleReader = true });

    public void Enqueue(IngestItem item)
    {
        if (!_queue.Writer.TryWrite(item))
        {
            RealtimeMetrics.Drop("ingest");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<IngestItem>(options.IngestBatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await CollectAsync(batch);
                await FlushAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var rest = new List<IngestItem>();
        while (_queue.Reader.TryRead(out var item))
        {
            rest.Add(item);
        }

        await FlushAsync(rest);
    }

    private async Task CollectAsync(List<IngestItem> batch)
    {
        var started = Stopwatch.GetTimestamp();
        while (batch.Count < options.IngestBatchSize)
        {
            if (_queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
                continue;
            }

            var remaining = options.IngestFlushInterval - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            using var wait = new CancellationTokenSource(remaining);
            try
            {
                if (!await _queue.Reader.WaitToReadAsync(wait.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task FlushAsync(List<IngestItem> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var remote = batch.Where(i => cluster.RemoteSubscribesTo(i.StackId)).Select(i => (i.StackId, i.Frame)).ToList();
        if (remote.Count > 0)
        {
            try
            {
                await bus.PublishAsync(BusMessages.StackPayloads(self.Id, remote), CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogWarning("{Count} telemetry frames not sent to other replicas: {Error}", remote.Count, ex.Message);
            }
        }

        var events = batch.Where(i => i.Event is not null).Select(i => i.Event!).ToList();
        var lines = batch.Where(i => i.Line is not null).Select(i => i.Line!).ToList();
        if (events.Count == 0 && lines.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        if (events.Count > 0)
        {
            try
            {
                await sender.Send(new AppendK8sEvents(events), CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogWarning("{Count} Kubernetes events not stored: {Error}", events.Count, ex.Message);
            }
        }

        if (lines.Count > 0)
        {
            try
            {
                await sender.Send(new AppendPodLogLines(lines), CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogWarning("{Count} pod log lines not stored: {Error}", lines.Count, ex.Message);
            }
        }
    }
}
