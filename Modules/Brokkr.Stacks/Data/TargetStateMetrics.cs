using Prometheus;

namespace Brokkr.Stacks.Data;

/// <summary>Where target-state answers came from, so operators can see the cache work (ADR 0033).</summary>
internal static class TargetStateMetrics
{
    private static readonly Counter Reads = Metrics.CreateCounter(
        "brokkr_target_state_reads_total", "Target-state polls answered, by source: memory (the broker's cache) or database", ["source"]);

    // Resolved once: the poll is the hottest path.
    private static readonly Counter.Child Memory = Reads.WithLabels("memory");
    private static readonly Counter.Child Database = Reads.WithLabels("database");

    public static void Answered(bool fromMemory) => (fromMemory ? Memory : Database).Inc();

    public static double Count(bool fromMemory) => (fromMemory ? Memory : Database).Value;
}
