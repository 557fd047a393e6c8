namespace Brokkr.Webhooks.Domain;

/// <summary>
/// Subscription patterns (behaviour §7): <c>*</c> matches every event type, <c>prefix.*</c> the event
/// types that start with <c>prefix.</c>, anything else only itself. The outbox statement evaluates
/// the same rule in SQL (<see cref="Handlers.WebhookOutbox"/>).
/// </summary>
internal static class EventPattern
{
    public static bool Matches(string pattern, string eventType)
        => pattern == "*"
            || pattern == eventType
            || (pattern.EndsWith(".*", StringComparison.Ordinal) && eventType.StartsWith(pattern[..^1], StringComparison.Ordinal));
}

/// <summary>The patterns of every enabled subscription, answering "could anyone want this event type?".</summary>
internal sealed class PatternSet
{
    private readonly bool _any;
    private readonly HashSet<string> _exact = new(StringComparer.Ordinal);
    private readonly List<string> _prefixed = [];

    public PatternSet(IEnumerable<string> patterns)
    {
        foreach (var pattern in patterns)
        {
            if (pattern == "*")
            {
                _any = true;
            }
            else if (pattern.EndsWith(".*", StringComparison.Ordinal))
            {
                _prefixed.Add(pattern);
            }
            else
            {
                _exact.Add(pattern);
            }
        }
    }

    public bool MayMatch(string eventType)
        => _any || _exact.Contains(eventType) || _prefixed.Exists(p => EventPattern.Matches(p, eventType));
}
