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
/// registrations with one key are a programming error, refused when the broker starts. A configuration
/// reload recomputes the intervals (<see cref="Refresh"/>); the set of jobs is fixed at start.
/// </summary>
internal sealed class ScheduledJobs
{
    public const string Group = "brokkr";

    private readonly IReadOnlyList<ScheduledRequest> _requests;
    private readonly ILogger<ScheduledJobs> _logger;
    private volatile Dictionary<string, ScheduledJob> _byKey;

    public ScheduledJobs(IEnumerable<ScheduledRequest> requests, BrokkrSettings settings, ILogger<ScheduledJobs> logger)
    {
        _requests = requests.ToList();
        _logger = logger;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in _requests)
        {
            if (string.IsNullOrWhiteSpace(request.Key) || request.Key.Length > 100 || request.Key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            {
                throw new InvalidOperationException($"Scheduled request key '{request.Key}' must be 1 to 100 ASCII letters, digits, '-', '_' or '.'.");
            }

            if (!keys.Add(request.Key))
            {
                throw new InvalidOperationException($"Two scheduled requests are registered with the key '{request.Key}'.");
            }
        }

        _byKey = Build(settings, previous: null);
    }

    public IReadOnlyCollection<ScheduledJob> All => _byKey.Values.OrderBy(j => j.Key, StringComparer.Ordinal).ToList();

    public ScheduledJob? Find(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>
    /// The intervals as <paramref name="settings"/> now say; the jobs whose interval changed. A job whose new
    /// interval is under one second keeps its interval (and one not scheduled at start stays unscheduled).
    /// </summary>
    public IReadOnlyList<ScheduledJob> Refresh(BrokkrSettings settings)
    {
        var previous = _byKey;
        var next = Build(settings, previous);
        _byKey = next;
        return next.Values.Where(j => previous.TryGetValue(j.Key, out var before) && before.Interval != j.Interval).ToList();
    }

    private Dictionary<string, ScheduledJob> Build(BrokkrSettings settings, Dictionary<string, ScheduledJob>? previous)
    {
        var byKey = new Dictionary<string, ScheduledJob>(StringComparer.Ordinal);
        foreach (var request in _requests)
        {
            if (previous is not null && !previous.ContainsKey(request.Key))
            {
                continue;
            }

            var interval = request.Interval(settings);
            if (interval < TimeSpan.FromSeconds(1))
            {
                if (previous?.GetValueOrDefault(request.Key) is { } kept)
                {
                    _logger.LogWarning("Job {Job} keeps its interval {Interval}: the new one, {New}, is shorter than one second", request.Key, kept.Interval, interval);
                    byKey[request.Key] = kept;
                }
                else
                {
                    _logger.LogWarning("Job {Job} is not scheduled: its interval {Interval} is shorter than one second", request.Key, interval);
                }

                continue;
            }

            byKey[request.Key] = new ScheduledJob(request, interval);
        }

        return byKey;
    }
}
