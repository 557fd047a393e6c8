namespace Brokkr.FakeKube.Faults;

/// <summary>The active fault rules; the first matching rule with uses left applies to a request.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<ActiveRule> _rules = [];

    public void Add(FaultRule rule)
    {
        lock (_gate)
        {
            _rules.Add(new ActiveRule(rule, rule.Times));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    public IReadOnlyList<(FaultRule Rule, int? Remaining)> Active()
    {
        lock (_gate)
        {
            return _rules.Select(r => (r.Rule, r.Remaining)).ToList();
        }
    }

    public FaultRule? Take(string method, string path)
    {
        lock (_gate)
        {
            var match = _rules.FirstOrDefault(r => Matches(r.Rule, method, path));
            if (match is null)
            {
                return null;
            }

            if (match.Remaining is { } remaining)
            {
                match.Remaining = remaining - 1;
                if (match.Remaining <= 0)
                {
                    _rules.Remove(match);
                }
            }

            return match.Rule;
        }
    }

    private static bool Matches(FaultRule rule, string method, string path) =>
        (rule.Method is null || string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase))
        && (rule.PathContains is null || path.Contains(rule.PathContains, StringComparison.Ordinal));

    private sealed class ActiveRule(FaultRule rule, int? remaining)
    {
        public FaultRule Rule { get; } = rule;

        public int? Remaining { get; set; } = remaining;
    }
}
