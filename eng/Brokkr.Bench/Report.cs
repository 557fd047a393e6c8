using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Brokkr.Bench;

internal static class Report
{
    public static void Print(Options options, Seed seed, IReadOnlyList<Result> results)
    {
        // The faster of the two /healthz runs (first and last): neighbours' load varies during a run, and the
        // higher baseline gives the lower, more conservative ratios.
        var healthz = results.Where(r => r.Name.StartsWith("healthz", StringComparison.Ordinal)).MaxBy(r => r.PerSecond)!;
        Console.WriteLine($"# eng/bench: {options.Url} | {seed.Agents.Count} agents, {seed.Stacks} stacks, {seed.Objects} deployment objects " +
            $"(seeded in {seed.Took.TotalSeconds:F1} s) | concurrency {options.Concurrency}, {options.Duration.TotalSeconds:F0} s per scenario | " +
            $"client: {Environment.ProcessorCount} cpus, .NET {Environment.Version}" +
            (options.Values.ContainsKey("subscribe") ? " | webhook outbox on (deployment.*)" : ""));
        Console.WriteLine();
        Console.WriteLine($"Ratios are to the faster /healthz run ({healthz.Name}, {healthz.PerSecond:F0} req/s).");
        Console.WriteLine();
        Console.WriteLine("| scenario | requests | req/s | ratio to /healthz | p50 ms | p95 ms | p99 ms | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var rate = r.Name.StartsWith("events", StringComparison.Ordinal) ? $"{r.PerSecond:F0} ({r.UnitsPerSecond:F0} events/s)" : $"{r.PerSecond:F0}";
            Console.WriteLine(FormattableString.Invariant(
                $"| {r.Name} | {r.Requests} | {rate} | {r.PerSecond / healthz.PerSecond:F3} | {r.P50:F2} | {r.P95:F2} | {r.P99:F2} | {r.Errors} |"));
        }

        Console.WriteLine();
        Console.WriteLine("Goals of issue 6:");
        Goal(results, "target-state", r => r.PerSecond / healthz.PerSecond >= 0.20 && r.P99 <= 25 && r.Errors == 0,
            r => FormattableString.Invariant($"ratio {r.PerSecond / healthz.PerSecond:F3} >= 0.20, p99 {r.P99:F1} ms <= 25 ms, errors {r.Errors} = 0"));
        Goal(results, "not-modified", r => r.PerSecond / healthz.PerSecond >= 0.50 && r.Errors == 0,
            r => FormattableString.Invariant($"ratio {r.PerSecond / healthz.PerSecond:F3} >= 0.50, errors {r.Errors} = 0"));
        Goal(results, "heartbeat", r => r.PerSecond / healthz.PerSecond >= 0.20 && r.Errors == 0,
            r => FormattableString.Invariant($"ratio {r.PerSecond / healthz.PerSecond:F3} >= 0.20, errors {r.Errors} = 0"));
        // Judged on batches (ADR 0031); a run without events-batch judges one event per request.
        Goal(results, results.Any(r => r.Name == "events-batch") ? "events-batch" : "events", r => r.UnitsPerSecond >= 20_000 && r.Errors == 0,
            r => FormattableString.Invariant($"{r.UnitsPerSecond:F0} events/s >= 20,000, errors {r.Errors} = 0"));
        foreach (var r in results.Where(r => r.FirstError is not null))
        {
            Console.WriteLine($"first error in {r.Name}: {r.FirstError}");
        }
    }

    private static void Goal(IReadOnlyList<Result> results, string name, Func<Result, bool> met, Func<Result, string> describe)
    {
        if (results.FirstOrDefault(r => r.Name == name) is { } r)
        {
            Console.WriteLine($"  {(met(r) ? "PASS" : "MISS")}  {name}: {describe(r)}");
        }
    }
}
