using Brokkr.Shared.Configuration;
using Brokkr.Shared.Jobs;

namespace Brokkr.Host.Jobs;

/// <summary>A registered <see cref="ScheduledRequest"/> with its interval as this broker's settings say.</summary>
internal sealed record ScheduledJob(ScheduledRequest Request, TimeSpan Interval)
{
    public string Key => Request.Key;
    public string Description => Request.Description;
}

/// <summary>
/// Every <see cref="ScheduledRequest"/> the modules registered, keyed and with its interval. Two
/// registrations with one key are a programming error, refused when the broker starts.
/// </summary>
internal sealed class ScheduledJobs
{
    public const string Group = "brokkr";

    private readonly Dictionary<string, ScheduledJob> _byKey;

    public ScheduledJobs(IEnumerable<ScheduledRequest> requests, BrokkrSettings settings, ILogger<ScheduledJobs> logger)
    {
        _byKey = new Dictionary<string, ScheduledJob>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (string.IsNullOrWhiteSpace(request.Key) || request.Key.Length > 100 || request.Key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            {
                throw new InvalidOperationException($"Scheduled request key '{request.Key}' must be 1 to 100 ASCII letters, digits, '-', '_' or '.'.");
            }

            if (_byKey.ContainsKey(request.Key))
            {
                throw new InvalidOperationException($"Two scheduled requests are registered with the key '{request.Key}'.");
            }

            var interval = request.Interval(settings);
            if (interval < TimeSpan.FromSeconds(1))
            {
                logger.LogWarning("Job {Job} is not scheduled: its interval {Interval} is shorter than one second", request.Key, interval);
                continue;
            }

            _byKey[request.Key] = new ScheduledJob(request, interval);
        }
    }

    public IReadOnlyCollection<ScheduledJob> All => _byKey.Values.OrderBy(j => j.Key, StringComparer.Ordinal).ToList();

    public ScheduledJob? Find(string key) => _byKey.GetValueOrDefault(key);
}
