namespace Brokkr.Agent.Kubernetes;

/// <summary>
/// The reference's Kubernetes retry (behaviour §14.6): exponential from 1 s, doubling, at most 60 s
/// apart, giving up after 5 minutes; only for retryable failures.
/// </summary>
internal sealed class KubeRetry(TimeProvider time)
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxElapsed = TimeSpan.FromMinutes(5);

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var delay = Initial;
        while (true)
        {
            try
            {
                return await action(cancellationToken);
            }
            catch (KubeApiException e) when (e.IsRetryable && time.GetUtcNow() - started + delay <= MaxElapsed)
            {
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxInterval.Ticks));
            }
        }
    }
}
