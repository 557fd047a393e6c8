using System.Threading.Channels;
using Brokkr.Realtime.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Brokkr.Realtime.Bus;

/// <summary>
/// One dedicated connection per process LISTENs on the bus channel; notifications are queued
/// (bounded) and applied in order by one dispatcher, so a slow step never blocks the connection.
/// A dropped connection is reopened with backoff (1 s doubling to 30 s); after every LISTEN the
/// replica tick resynchronises what a lost notification could have changed. An idle connection is
/// probed every 10 s so a silently dead one is noticed.
/// </summary>
internal sealed class BusListener(
    NpgsqlDataSource dataSource,
    BusDispatcher dispatcher,
    ReplicaTicker ticker,
    RealtimeOptions options,
    ILogger<BusListener> logger) : BackgroundService
{
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly Channel<string> _queue = System.Threading.Channels.Channel.CreateBounded<string>(
        new BoundedChannelOptions(options.BusQueue) { SingleReader = true });

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first LISTEN is in place (tests wait for it before changing anything).</summary>
    public Task Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dispatch = DispatchAsync(stoppingToken);
        await ListenAsync(stoppingToken);
        _queue.Writer.TryComplete();
        await dispatch;
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        var reconnect = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (!_queue.Writer.TryWrite(e.Payload))
                    {
                        RealtimeMetrics.Drop("bus");
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {RealtimeBus.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                backoff = TimeSpan.FromSeconds(1);
                await ResynchroniseAsync(reconnect, stoppingToken);
                reconnect = true;
                _listening.TrySetResult();
                while (true)
                {
                    if (!await connection.WaitAsync(Probe, stoppingToken))
                    {
                        await using var probe = new NpgsqlCommand("SELECT 1", connection);
                        await probe.ExecuteNonQueryAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Realtime bus listener disconnected: {Error}; retrying in {Delay}", ex.Message, backoff);
                try
                {
                    await Task.Delay(backoff, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task ResynchroniseAsync(bool revalidate, CancellationToken stoppingToken)
    {
        try
        {
            await ticker.TickAsync(revalidate, stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("Realtime resynchronisation failed: {Error}", ex.Message);
        }
    }

    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var payload in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await dispatcher.DispatchAsync(payload, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Realtime bus message not applied: {Error}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
