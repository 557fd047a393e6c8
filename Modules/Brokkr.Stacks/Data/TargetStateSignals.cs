using Brokkr.Shared.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Brokkr.Stacks.Data;

/// <summary>
/// Drops cached target state when the database says an input changed (migration 1300): the NOTIFY
/// that every broker receives on commit, and the NOTICE that reaches this broker's own session
/// while its change runs. While the LISTEN connection is down the cache stays off, since changes
/// made meanwhile would go unseen.
/// </summary>
internal sealed class TargetStateSignals(NpgsqlDataSource dataSource, TargetStateCache cache, ILogger<TargetStateSignals> logger)
    : BackgroundService, IDatabaseNoticeObserver
{
    public const string Channel = "brokkr_target_state";
    private const string NoticePrefix = Channel + " ";

    public void OnNotice(string message)
    {
        if (message.StartsWith(NoticePrefix, StringComparison.Ordinal))
        {
            Apply(message[NoticePrefix.Length..]);
        }
    }

    /// <summary><c>*</c> for every agent, else agent ids separated by commas; anything else drops everything.</summary>
    public void Apply(string scope)
    {
        if (scope == "*")
        {
            cache.InvalidateAll();
            return;
        }

        foreach (var part in scope.Split(','))
        {
            if (!Guid.TryParse(part, out var agentId))
            {
                cache.InvalidateAll();
                return;
            }

            cache.Invalidate(agentId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!cache.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Apply(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                cache.Online = true;
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Target-state change listener disconnected: {Error}; answering from the database until it is back", ex.Message);
            }
            finally
            {
                cache.Online = false;
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
