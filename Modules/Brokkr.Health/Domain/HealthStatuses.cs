namespace Brokkr.Health.Domain;

/// <summary>The four health statuses and the reference's worst-of rule: failing &gt; degraded &gt; healthy &gt; unknown.</summary>
internal static class HealthStatuses
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Failing = "failing";
    public const string Unknown = "unknown";

    public static bool IsValid(string status) => status is Healthy or Degraded or Failing or Unknown;

    /// <summary>The worst status present; <c>unknown</c> when none of failing, degraded or healthy is.</summary>
    public static string Worst(IEnumerable<string> statuses)
    {
        var seen = statuses.ToHashSet(StringComparer.Ordinal);
        return seen.Contains(Failing) ? Failing
            : seen.Contains(Degraded) ? Degraded
            : seen.Contains(Healthy) ? Healthy
            : Unknown;
    }

    /// <summary>A revision's status from its agents' counts, by the same rule.</summary>
    public static string Worst(long healthy, long degraded, long failing)
        => failing > 0 ? Failing : degraded > 0 ? Degraded : healthy > 0 ? Healthy : Unknown;
}
