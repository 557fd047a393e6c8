using Brokkr.Contracts.Auth;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Brokkr.Auth.Authentication;

/// <summary>
/// LISTENs for PAK changes made by any broker or CLI process on the same database. While the
/// connection is down the cache is cleared, so nothing stale outlives a lost notification.
/// </summary>
internal sealed class PakChangeListener(NpgsqlDataSource dataSource, PakCache cache, ILogger<PakChangeListener> logger) : BackgroundService
{
    public const string Channel = "brokkr_pak_changed";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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

                cache.Clear();
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
                cache.Clear();
                logger.LogWarning("PAK change listener disconnected: {Error}; retrying", ex.Message);
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

    public static string Payload(PakChanged change) => $"{change.Kind}:{change.OwnerId}";

    private void Apply(string payload)
    {
        var parts = payload.Split(':', 2);
        if (parts.Length == 2 && Enum.TryParse<PakOwnerKind>(parts[0], out var kind))
        {
            cache.Invalidate(kind, Guid.TryParse(parts[1], out var id) ? id : null);
        }
        else
        {
            cache.Clear();
        }
    }
}
